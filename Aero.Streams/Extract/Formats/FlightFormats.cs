using System.Collections.Frozen;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace Aero.Streams.Extract.Formats;

/// <summary>
/// Reads <c>aero.extract.files.formats</c> (the grammar is commented in Aero.Streams' reference.conf) and refuses a bad
/// definition with a <see cref="ConfigurationException"/> naming its key, so a run never starts on one.
/// </summary>
internal static class FlightFormats
{
    /// <summary>The format used when auto recognizes none: Aero's own field names.</summary>
    public const string Canonical = "canonical";

    private static readonly FrozenSet<string> RuleKeys =
        new[] { "column", "date", "time", "airport", "near", "near-minutes", "after", "from", "minutes", "constant" }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly string[] PlacementKeys = ["near", "near-minutes", "after"];

    public static FrozenDictionary<string, FlightFormat> Read(Config formats, string key)
    {
        var read = new Dictionary<string, FlightFormat>(StringComparer.Ordinal);
        foreach (var (name, value) in formats.AsEnumerable())
        {
            read[name] = Format(name, value, $"{key}.{name}");
        }

        return read.ContainsKey(Canonical)
            ? read.ToFrozenDictionary(StringComparer.Ordinal)
            : throw new ConfigurationException($"{key} has no {Canonical} format: the one a file no other format recognizes is read in.");
    }

    private static FlightFormat Format(string name, HoconValue value, string key)
    {
        var items = ObjectOf(value, key);
        foreach (var part in items.Keys.Where(part => part is not ("header" or "fields")))
        {
            throw Bad($"{key}.{part}", "is not a part of a format: expected header and fields");
        }

        var headers = new List<IReadOnlyList<string>>();
        if (items.TryGetValue("header", out var header))
        {
            if (!header.IsArray())
            {
                throw Bad($"{key}.header", "is not a list of column lists");
            }

            foreach (var columns in header.GetArray())
            {
                headers.Add(Names(columns, $"{key}.header"));
            }
        }

        var rules = new Dictionary<string, FieldRule>(StringComparer.Ordinal);
        if (items.TryGetValue("fields", out var fields))
        {
            foreach (var (field, rule) in ObjectOf(fields, $"{key}.fields"))
            {
                var fieldKey = $"{key}.fields.{field}";
                if (!FlightFields.Types.TryGetValue(field, out var type))
                {
                    throw Bad(fieldKey, $"is not a flight field: expected one of {string.Join(", ", FlightFields.Types.Keys.Order(StringComparer.Ordinal))}");
                }

                rules[field] = Rule(field, type, rule, fieldKey);
            }
        }

        return new FlightFormat(name, headers, rules.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private static FieldRule Rule(string field, FieldType type, HoconValue value, string key)
    {
        if (!value.IsObject())
        {
            return new FieldRule { Columns = Names(value, key) };
        }

        var parts = value.GetObject().Items;
        foreach (var part in parts.Keys.Where(part => !RuleKeys.Contains(part)))
        {
            throw Bad($"{key}.{part}", $"is not a part of a field's rule: expected {string.Join(", ", RuleKeys)}");
        }

        var rule = new FieldRule
        {
            Columns = parts.TryGetValue("column", out var column) ? Names(column, $"{key}.column") : [],
            Constant = parts.TryGetValue("constant", out var constant) ? Text(constant, $"{key}.constant") : null,
        };
        var local = parts.ContainsKey("date") || parts.ContainsKey("time") || parts.ContainsKey("airport");
        if (local)
        {
            rule = rule with { Local = Local(field, type, parts, key) };
        }
        else if (PlacementKeys.FirstOrDefault(parts.ContainsKey) is { } stray)
        {
            throw Bad($"{key}.{stray}", "places a local time, but the rule has no date, time and airport");
        }

        if (parts.ContainsKey("from") || parts.ContainsKey("minutes"))
        {
            rule = rule with { Shift = new ShiftRule(EarlierTime(field, type, parts, "from", key), Names(Required(parts, "minutes", key), $"{key}.minutes")) };
        }

        return rule.Columns.Count == 0 && rule.Local is null && rule.Shift is null && rule.Constant is null
            ? throw Bad(key, "gives no way to make the field: expected column, date/time/airport, from/minutes or constant")
            : rule;
    }

    private static LocalTimeRule Local(string field, FieldType type, Dictionary<string, HoconValue> parts, string key)
    {
        var airport = Text(Required(parts, "airport", key), $"{key}.airport");
        if (airport is not (FlightFields.Origin or FlightFields.Destination))
        {
            throw Bad($"{key}.airport", $"is \"{airport}\": expected origin or destination, the field whose airport's time zone applies");
        }

        if (parts.ContainsKey("near") && parts.ContainsKey("after"))
        {
            throw Bad($"{key}.after", "and near both place the time: give one");
        }

        return new LocalTimeRule(
            Names(Required(parts, "date", key), $"{key}.date"),
            Names(Required(parts, "time", key), $"{key}.time"),
            airport,
            parts.ContainsKey("near") ? EarlierTime(field, type, parts, "near", key) : null,
            parts.TryGetValue("near-minutes", out var minutes) ? Names(minutes, $"{key}.near-minutes") : [],
            parts.ContainsKey("after") ? EarlierTime(field, type, parts, "after", key) : null);
    }

    /// <summary>The time field a rule refers to, which must be computed before the field the rule makes.</summary>
    private static string EarlierTime(string field, FieldType type, Dictionary<string, HoconValue> parts, string part, string key)
    {
        if (type != FieldType.Time)
        {
            throw Bad($"{key}.{part}", $"makes a time, but {field} is not a time field");
        }

        var other = Text(Required(parts, part, key), $"{key}.{part}");
        var index = FlightFields.TimeIndex(other);
        return index >= 0 && index < FlightFields.TimeIndex(field)
            ? other
            : throw Bad($"{key}.{part}", $"is \"{other}\": expected a time field computed before {field} ({string.Join(", ", FlightFields.Times.TakeWhile(time => time != field))})");
    }

    private static HoconValue Required(Dictionary<string, HoconValue> parts, string part, string key) =>
        parts.TryGetValue(part, out var value) ? value : throw Bad($"{key}.{part}", "is missing");

    private static Dictionary<string, HoconValue> ObjectOf(HoconValue value, string key) =>
        value.IsObject() ? value.GetObject().Items : throw Bad(key, "is not an object");

    /// <summary>A column name, or a non-empty list of them.</summary>
    private static IReadOnlyList<string> Names(HoconValue value, string key)
    {
        if (value.IsString())
        {
            return [Text(value, key)];
        }

        var names = value.IsArray() ? value.GetArray().Select(name => name.IsString() ? name.GetString()?.Trim() : null).ToList() : null;
        return names is { Count: > 0 } && names.All(name => !string.IsNullOrEmpty(name))
            ? [.. names!]
            : throw Bad(key, "is not a column name or a non-empty list of them");
    }

    private static string Text(HoconValue value, string key) =>
        value.IsString() && value.GetString()?.Trim() is { Length: > 0 } text ? text : throw Bad(key, "is not a non-empty string");

    private static ConfigurationException Bad(string key, string problem) => new($"{key} {problem}.");
}
