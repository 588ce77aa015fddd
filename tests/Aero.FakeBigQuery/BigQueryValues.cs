using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Aero.FakeBigQuery;

/// <summary>
/// BigQuery's JSON value formats, both ways: a row value as sent to insertAll or a load job becomes a DuckDB SQL
/// literal (or a row error), and a DuckDB value becomes the string BigQuery puts in a <c>{"v": ...}</c> cell.
/// </summary>
internal static partial class BigQueryValues
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The SQL literal for a field's value, or the row error message BigQuery would give.</summary>
    public static bool TryToSqlLiteral(BigQueryField field, JsonNode? value, out string literal, out string error)
    {
        error = string.Empty;
        if (value is null)
        {
            literal = field.IsRepeated ? $"CAST([] AS {field.DuckDbType})" : "NULL";
            if (field.IsRequired)
            {
                error = $"Missing required field: {field.Name}.";
                return false;
            }

            return true;
        }

        if (field.IsRepeated)
        {
            if (value is not JsonArray array)
            {
                literal = string.Empty;
                error = $"Array specified for non-repeated field: {field.Name}.";
                return false;
            }

            var items = new List<string>();
            foreach (var item in array)
            {
                if (item is null || !TryScalar(field, item, out var itemLiteral, out error))
                {
                    literal = string.Empty;
                    error = item is null ? $"Null value in repeated field: {field.Name}." : error;
                    return false;
                }

                items.Add(itemLiteral);
            }

            literal = $"CAST([{string.Join(", ", items)}] AS {field.DuckDbType})";
            return true;
        }

        if (value is JsonArray)
        {
            literal = string.Empty;
            error = $"Array specified for non-repeated field: {field.Name}.";
            return false;
        }

        return TryScalar(field, value, out literal, out error);
    }

    private static bool TryScalar(BigQueryField field, JsonNode value, out string literal, out string error)
    {
        literal = string.Empty;
        error = string.Empty;
        var kind = value.GetValueKind();
        var text = kind == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
        var ok = field.CanonicalType switch
        {
            "STRING" or "GEOGRAPHY" => kind is not (JsonValueKind.Object or JsonValueKind.Array) && Set(Quote(text), out literal),
            "INTEGER" => kind is JsonValueKind.Number or JsonValueKind.String
                && long.TryParse(text, NumberStyles.AllowLeadingSign, Invariant, out var integer)
                && Set(integer.ToString(Invariant), out literal),
            "FLOAT" => kind is JsonValueKind.Number or JsonValueKind.String
                && double.TryParse(text, NumberStyles.Float, Invariant, out var number)
                && Set($"CAST('{number.ToString("R", Invariant)}' AS DOUBLE)", out literal),
            "BOOLEAN" => TryBoolean(kind, text, out literal),
            "NUMERIC" or "BIGNUMERIC" => kind is JsonValueKind.Number or JsonValueKind.String && TryNumeric(text, out literal),
            "TIMESTAMP" => TryTimestamp(kind, text, out literal),
            "DATE" => kind == JsonValueKind.String
                && DateOnly.TryParseExact(text, "yyyy-M-d", Invariant, DateTimeStyles.None, out var date)
                && Set($"DATE '{date.ToString("yyyy-MM-dd", Invariant)}'", out literal),
            "DATETIME" => kind == JsonValueKind.String && TryDateTime(text, out literal),
            "TIME" => kind == JsonValueKind.String
                && TimeOnly.TryParseExact(text, ["H:mm:ss", "H:mm:ss.FFFFFFF", "H:mm"], Invariant, DateTimeStyles.None, out var time)
                && Set($"TIME '{time.ToString("HH:mm:ss.ffffff", Invariant)}'", out literal),
            "BYTES" => kind == JsonValueKind.String && TryBytes(text, out literal),
            "JSON" => TryJson(kind, text, out literal),
            _ => false,
        };
        if (!ok)
        {
            error = $"Cannot convert value to {field.CanonicalType.ToLowerInvariant()} (bad value): {Shorten(text)} for field {field.Name}.";
        }

        return ok;
    }

    private static bool Set(string value, out string literal)
    {
        literal = value;
        return true;
    }

    private static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string Shorten(string text) => text.Length > 64 ? text[..64] + "..." : text;

    private static bool TryBoolean(JsonValueKind kind, string text, out string literal)
    {
        literal = string.Empty;
        var truth = kind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when text.Equals("true", StringComparison.OrdinalIgnoreCase) || text == "1" => true,
            JsonValueKind.String when text.Equals("false", StringComparison.OrdinalIgnoreCase) || text == "0" => false,
            _ => (bool?)null,
        };
        return truth is { } b && Set(b ? "TRUE" : "FALSE", out literal);
    }

    // NUMERIC is DECIMAL(38, 9): at most 29 integer digits and 9 fractional ones.
    private static bool TryNumeric(string text, out string literal)
    {
        literal = string.Empty;
        var match = NumericPattern().Match(text);
        if (!match.Success || match.Groups["int"].Value.TrimStart('0').Length > 29 || match.Groups["frac"].Value.TrimEnd('0').Length > 9)
        {
            return false;
        }

        return Set($"CAST({Quote(text)} AS DECIMAL(38,9))", out literal);
    }

    private static bool TryTimestamp(JsonValueKind kind, string text, out string literal)
    {
        literal = string.Empty;
        if (double.TryParse(text, NumberStyles.Float, Invariant, out var seconds) && kind is JsonValueKind.Number or JsonValueKind.String)
        {
            var micros = (long)Math.Round(seconds * 1_000_000d);
            return Set($"make_timestamptz({micros.ToString(Invariant)})", out literal);
        }

        if (kind != JsonValueKind.String)
        {
            return false;
        }

        var match = TimestampPattern().Match(text.Trim());
        if (!match.Success || !TryDateTimeParts(match, out var local))
        {
            return false;
        }

        var zone = match.Groups["zone"].Value;
        var offset = TimeSpan.Zero;
        if (zone.Length > 0 && zone is not ("Z" or "z" or "UTC"))
        {
            var sign = zone[0] == '-' ? -1 : 1;
            var digits = zone[1..].Replace(":", string.Empty, StringComparison.Ordinal);
            offset = sign * new TimeSpan(int.Parse(digits[..2], Invariant), digits.Length > 2 ? int.Parse(digits[2..], Invariant) : 0, 0);
        }

        var utc = new DateTimeOffset(local, offset).UtcDateTime;
        return Set($"CAST('{utc.ToString("yyyy-MM-dd HH:mm:ss.ffffff", Invariant)}+00' AS TIMESTAMPTZ)", out literal);
    }

    private static bool TryDateTime(string text, out string literal)
    {
        literal = string.Empty;
        var match = TimestampPattern().Match(text.Trim());
        return match.Success && match.Groups["zone"].Length == 0 && TryDateTimeParts(match, out var value)
            && Set($"TIMESTAMP '{value.ToString("yyyy-MM-dd HH:mm:ss.ffffff", Invariant)}'", out literal);
    }

    private static bool TryDateTimeParts(Match match, out DateTime value)
    {
        value = default;
        var fraction = match.Groups["frac"].Value;
        var ticks = fraction.Length == 0 ? 0 : long.Parse(fraction.PadRight(7, '0')[..7], Invariant);
        try
        {
            value = new DateTime(
                int.Parse(match.Groups["y"].Value, Invariant),
                int.Parse(match.Groups["mo"].Value, Invariant),
                int.Parse(match.Groups["d"].Value, Invariant),
                match.Groups["h"].Success ? int.Parse(match.Groups["h"].Value, Invariant) : 0,
                match.Groups["mi"].Success ? int.Parse(match.Groups["mi"].Value, Invariant) : 0,
                match.Groups["s"].Success ? int.Parse(match.Groups["s"].Value, Invariant) : 0,
                DateTimeKind.Unspecified).AddTicks(ticks);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    private static bool TryBytes(string text, out string literal)
    {
        literal = string.Empty;
        try
        {
            var bytes = Convert.FromBase64String(text);
            return Set($"from_base64('{Convert.ToBase64String(bytes)}')", out literal);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    // A JSON column takes any JSON value; a string is read as JSON text, as BigQuery's streaming API does.
    private static bool TryJson(JsonValueKind kind, string text, out string literal)
    {
        literal = string.Empty;
        if (kind == JsonValueKind.String)
        {
            try
            {
                text = JsonNode.Parse(text)?.ToJsonString() ?? "null";
            }
            catch (JsonException)
            {
                return false;
            }
        }

        return Set($"CAST({Quote(text)} AS JSON)", out literal);
    }

    /// <summary>The <c>v</c> of a result cell: BigQuery sends every scalar as a string, REPEATED as a list of cells.</summary>
    public static JsonNode? ToCell(object? value, BigQueryField field, bool int64Timestamps)
    {
        if (value is null or DBNull)
        {
            return null;
        }

        if (field.IsRepeated && value is System.Collections.IEnumerable list and not string)
        {
            var scalar = field with { Mode = "NULLABLE" };
            return new JsonArray([.. list.Cast<object?>().Select(item => (JsonNode)new JsonObject { ["v"] = ToCell(item, scalar, int64Timestamps) })]);
        }

        return field.CanonicalType switch
        {
            "TIMESTAMP" => TimestampCell(ToUtc(value), int64Timestamps),
            "DATETIME" => ToUtc(value).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF", Invariant).TrimEnd('.'),
            "DATE" => value switch
            {
                DateOnly d => d.ToString("yyyy-MM-dd", Invariant),
                DateTime dt => dt.ToString("yyyy-MM-dd", Invariant),
                _ => Convert.ToString(value, Invariant),
            },
            "TIME" => value switch
            {
                TimeOnly t => t.ToString("HH:mm:ss.FFFFFF", Invariant).TrimEnd('.'),
                TimeSpan s => TimeOnly.FromTimeSpan(s).ToString("HH:mm:ss.FFFFFF", Invariant).TrimEnd('.'),
                _ => Convert.ToString(value, Invariant),
            },
            "BOOLEAN" => value is bool b ? (b ? "true" : "false") : Convert.ToString(value, Invariant),
            "FLOAT" => value switch
            {
                double d => FloatText(d),
                float f => FloatText(f),
                _ => Convert.ToString(value, Invariant),
            },
            "NUMERIC" or "BIGNUMERIC" => value is decimal m ? m.ToString("0.#########", Invariant) : Convert.ToString(value, Invariant),
            "BYTES" => Convert.ToBase64String(ToBytes(value)),
            _ => value switch
            {
                Stream or byte[] => Convert.ToBase64String(ToBytes(value)),
                BigInteger big => big.ToString(Invariant),
                _ => Convert.ToString(value, Invariant),
            },
        };
    }

    /// <summary>A DuckDB value as the plain CLR value <c>Rows()</c> hands to tests (BLOB as byte[], TIMESTAMP as UTC DateTimeOffset).</summary>
    public static object? ToClr(object? value, BigQueryField field) => value switch
    {
        null or DBNull => null,
        Stream or byte[] => ToBytes(value),
        DateTime dt when field.CanonicalType == "TIMESTAMP" => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
        DateTimeOffset dto => dto.ToUniversalTime(),
        BigInteger big => (long)big,
        _ => value,
    };

    private static DateTime ToUtc(object value) => value switch
    {
        DateTime dt => dt,
        DateTimeOffset dto => dto.UtcDateTime,
        _ => DateTime.Parse(Convert.ToString(value, Invariant)!, Invariant),
    };

    private static string FloatText(double d) => d switch
    {
        double.NaN => "NaN",
        double.PositiveInfinity => "Infinity",
        double.NegativeInfinity => "-Infinity",
        _ => d.ToString("R", Invariant),
    };

    private static byte[] ToBytes(object value)
    {
        if (value is byte[] bytes)
        {
            return bytes;
        }

        using var copy = new MemoryStream();
        ((Stream)value).CopyTo(copy);
        return copy.ToArray();
    }

    // BigQuery renders TIMESTAMP cells as floating-point epoch seconds the way Java prints doubles ("1.7357256E9"),
    // or as integer microseconds with formatOptions.useInt64Timestamp.
    private static string TimestampCell(DateTime utc, bool int64Timestamps)
    {
        var micros = (utc.Ticks - DateTime.UnixEpoch.Ticks) / 10;
        if (int64Timestamps)
        {
            return micros.ToString(Invariant);
        }

        var seconds = micros / 1_000_000d;
        if (Math.Abs(seconds) < 1e7)
        {
            var plain = seconds.ToString("R", Invariant);
            return plain.Contains('.', StringComparison.Ordinal) ? plain : plain + ".0";
        }

        // |seconds| >= 1e7 here: shift the decimal point of the shortest round-trip digits, as Java's Double.toString does.
        var digits = seconds.ToString("R", Invariant);
        var sign = digits.StartsWith('-') ? "-" : string.Empty;
        var parts = digits.TrimStart('-').Split('.');
        var all = parts[0] + (parts.Length > 1 ? parts[1] : string.Empty);
        var tail = all[1..].TrimEnd('0');
        return $"{sign}{all[0]}.{(tail.Length == 0 ? "0" : tail)}E{(parts[0].Length - 1).ToString(Invariant)}";
    }

    [GeneratedRegex(@"^[+-]?(?<int>\d*)(?:\.(?<frac>\d*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex NumericPattern();

    [GeneratedRegex(
        @"^(?<y>\d{4})-(?<mo>\d{1,2})-(?<d>\d{1,2})(?:[T ](?<h>\d{1,2}):(?<mi>\d{2})(?::(?<s>\d{2})(?:\.(?<frac>\d{1,9}))?)?)?\s*(?<zone>Z|z|UTC|[+-]\d{2}(?::?\d{2})?)?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex TimestampPattern();
}
