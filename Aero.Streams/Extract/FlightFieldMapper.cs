using System.Collections.Frozen;
using System.Globalization;
using Aero.Flights;
using Aero.Streams.Extract.Formats;

namespace Aero.Streams.Extract;

/// <summary>
/// Maps one input record onto the canonical <see cref="FlightRecord"/> by its file's format (<see cref="FlightFormat"/>:
/// given, or recognized by the file's first record, else canonical), with <c>aero.extract.files.columns</c> over it.
/// Fields no rule names are read under their canonical name; timestamp is the scheduled departure when not given;
/// flight id is [airline + flight number-]origin-destination-yyyyMMddHHmm when not given. Throws
/// <see cref="RecordRejectedException"/> with a reason. One per file: it keeps the format it chose.
/// </summary>
internal sealed class FlightFieldMapper
{
    // ISO-8601 with or without seconds, fraction and offset; a value without an offset is taken as UTC, like vega's dates.
    private static readonly string[] DateFormats =
    [
        "yyyy/MM/dd HH:mm",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mmK",
        "yyyy-MM-dd",
    ];

    private static readonly FrozenDictionary<string, FieldRule> CanonicalColumns =
        FlightFields.Mappable.ToFrozenDictionary(field => field, FieldRule.Column, StringComparer.Ordinal);

    private readonly FileSourceSettings settings;
    private readonly DateTime?[] times = new DateTime?[FlightFields.Times.Length];
    private FrozenDictionary<string, FieldRule>? rules;

    public FlightFieldMapper(FileSourceSettings settings) => this.settings = settings;

    /// <summary>The names in the file this mapper may read: what a Parquet reader needs to fetch.</summary>
    public IEnumerable<string> ColumnNames =>
        FlightFields.Mappable.Concat(settings.Columns.Values).Concat(settings.Formats.Values.SelectMany(format => format.ColumnNames)).Distinct(StringComparer.Ordinal);

    public FlightRecord Map(IFieldReader fields, string eventId, string source, long position)
    {
        rules ??= RulesFor(fields);
        var origin = Text(fields, FlightFields.Origin);
        var destination = Text(fields, FlightFields.Destination);
        // The times in order, each placed by those before it; timestamp, the last, falls back to the scheduled departure.
        for (var i = 0; i < times.Length - 1; i++)
        {
            times[i] = Time(fields, FlightFields.Times[i], origin, destination);
        }

        var scheduled = times[0];
        var timestamp = Time(fields, FlightFields.Timestamp, origin, destination) ?? scheduled
            ?? throw new RecordRejectedException($"{RejectionReasons.MissingField} timestamp (no timestamp, scheduled_departure or date)");
        var (airline, airlineName) = Airline(Text(fields, FlightFields.Airline), Text(fields, FlightFields.AirlineName));
        airline ??= settings.Airlines.CodeOf(airlineName);
        var flightNumber = Text(fields, FlightFields.FlightNumber);
        var flightId = Text(fields, FlightFields.FlightId)
            ?? (origin is not null && destination is not null && scheduled is { } departure
                ? (airline is not null && flightNumber is not null ? $"{airline}{flightNumber}-" : "") + FlightIdOf(origin, destination, departure)
                : throw new RecordRejectedException($"{RejectionReasons.MissingField} flight_id (no flight_id, and no origin, destination and scheduled departure to build one)"));

        return new FlightRecord
        {
            EventId = eventId,
            FlightId = flightId,
            Timestamp = timestamp,
            Airline = airline,
            AirlineName = airlineName,
            FlightNumber = flightNumber,
            Origin = origin,
            Destination = destination,
            ScheduledDeparture = scheduled,
            ActualDeparture = times[1],
            ScheduledArrival = times[2],
            ActualArrival = times[3],
            Status = Text(fields, FlightFields.Status),
            AircraftType = Text(fields, FlightFields.AircraftType),
            Latitude = Number(fields, FlightFields.Latitude),
            Longitude = Number(fields, FlightFields.Longitude),
            Altitude = Number(fields, FlightFields.Altitude),
            Speed = Number(fields, FlightFields.Speed),
            Distance = Number(fields, FlightFields.Distance),
            Delay = Number(fields, FlightFields.Delay),
            ArrivalDelay = Number(fields, FlightFields.ArrivalDelay),
            Cancelled = Flag(fields, FlightFields.Cancelled),
            CancellationCode = Text(fields, FlightFields.CancellationCode),
            Diverted = Flag(fields, FlightFields.Diverted),
            TailNumber = Text(fields, FlightFields.TailNumber),
            TaxiOut = Number(fields, FlightFields.TaxiOut),
            TaxiIn = Number(fields, FlightFields.TaxiIn),
            ScheduledElapsed = Number(fields, FlightFields.ScheduledElapsed),
            ActualElapsed = Number(fields, FlightFields.ActualElapsed),
            AirTime = Number(fields, FlightFields.AirTime),
            CarrierDelay = Number(fields, FlightFields.CarrierDelay),
            WeatherDelay = Number(fields, FlightFields.WeatherDelay),
            NasDelay = Number(fields, FlightFields.NasDelay),
            SecurityDelay = Number(fields, FlightFields.SecurityDelay),
            LateAircraftDelay = Number(fields, FlightFields.LateAircraftDelay),
            Source = source,
            SourcePosition = position,
        };
    }

    /// <summary>The rules of the file's format (named, or the first by name whose header the record has), renames over them.</summary>
    private FrozenDictionary<string, FieldRule> RulesFor(IFieldReader fields)
    {
        var format = settings.Format != FileSourceSettings.AutoFormat
            ? settings.Formats[settings.Format]
            : settings.Formats.Values.OrderBy(f => f.Name, StringComparer.Ordinal).FirstOrDefault(f => f.Recognizes(fields))
                ?? settings.Formats[FlightFormats.Canonical];
        var chosen = new Dictionary<string, FieldRule>(format.Rules, StringComparer.Ordinal);
        foreach (var (field, column) in settings.Columns)
        {
            chosen[field] = FieldRule.Column(column);
        }

        return chosen.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private FieldRule RuleOf(string field) => rules!.TryGetValue(field, out var rule) ? rule : CanonicalColumns[field];

    /// <summary>The value of the first of <paramref name="columns"/> the record has.</summary>
    private static FieldValue ValueOf(IFieldReader fields, IReadOnlyList<string> columns) => Found(fields, columns).Value;

    /// <summary>The first of <paramref name="columns"/> the record has, and its value; a reason names the column.</summary>
    private static (FieldValue Value, string Column) Found(IFieldReader fields, IReadOnlyList<string> columns)
    {
        foreach (var column in columns)
        {
            var value = fields.Get(column);
            if (value.Kind != FieldKind.Missing)
            {
                return (value, column);
            }
        }

        return (FieldValue.Missing, columns.Count > 0 ? columns[0] : "");
    }

    /// <summary>The minutes in the first of <paramref name="columns"/> the record has.</summary>
    private static double? MinutesOf(IFieldReader fields, IReadOnlyList<string> columns)
    {
        var (value, column) = Found(fields, columns);
        return NumberOf(value, column);
    }

    private DateTime? Time(IFieldReader fields, string field, string? origin, string? destination)
    {
        var rule = RuleOf(field);
        var time = DateOf(ValueOf(fields, rule.Columns), field);
        if (time is null && rule.Local is { } local)
        {
            time = LocalTime(fields, field, local, local.Airport == FlightFields.Origin ? origin : destination);
        }

        if (time is null && rule.Shift is { } shift && times[FlightFields.TimeIndex(shift.From)] is { } from
            && MinutesOf(fields, shift.Minutes) is { } minutes)
        {
            time = from.AddMinutes(minutes);
        }

        return time ?? (rule.Constant is { } constant ? DateOf(FieldValue.OfText(constant), field) : null);
    }

    /// <summary>A local date and hhmm time in the airport's zone, placed near or after an earlier time field of the record.</summary>
    private DateTime? LocalTime(IFieldReader fields, string field, LocalTimeRule rule, string? airport)
    {
        var dateText = TextOf(ValueOf(fields, rule.Date), field);
        var timeText = TextOf(ValueOf(fields, rule.Time), field);
        if (dateText is null || timeText is null)
        {
            return null;
        }

        if (airport is null)
        {
            throw new RecordRejectedException($"{RejectionReasons.MissingField} {rule.Airport} (its time zone places {field})");
        }

        var zone = settings.Airports.TimeZoneOf(airport)
            ?? throw new RecordRejectedException($"{RejectionReasons.UnknownAirport} {rule.Airport} '{Shorten(airport)}' has no time zone in the airport reference data, so {field} {Shorten(timeText)} cannot be placed");
        var date = LocalClock.Date(dateText, field);
        var minutes = LocalClock.Minutes(timeText, field);
        DateTime At(int days) => LocalClock.ToUtc(date.AddDays(days), minutes, zone);

        if (rule.Near is { } near && times[FlightFields.TimeIndex(near)] is { } reference)
        {
            var target = reference.AddMinutes(MinutesOf(fields, rule.NearMinutes) ?? 0);
            return new[] { At(-1), At(0), At(1) }.MinBy(candidate => Math.Abs((candidate - target).Ticks));
        }

        if (rule.After is { } after && times[FlightFields.TimeIndex(after)] is { } earlier)
        {
            // The first such local time after the earlier one: an arrival after midnight lands the next day, one across
            // the date line (Guam to Honolulu) on the day before.
            for (var days = -1; days <= 2; days++)
            {
                if (At(days) is var candidate && candidate > earlier)
                {
                    return candidate;
                }
            }
        }

        return At(0);
    }

    /// <summary>
    /// Feeds carry an airline's name in its "airline" field as often as its code: a name there is the airline's name,
    /// unless the record names another one in airline_name. What is neither is left as the code, for the validator to
    /// reject.
    /// </summary>
    private static (string? Code, string? Name) Airline(string? airline, string? name)
    {
        if (airline is null || FlightValidator.IsAirlineCode(airline) || !FlightValidator.IsAirlineName(airline))
        {
            return (airline, name);
        }

        return name is null || string.Equals(name.Trim(), airline.Trim(), StringComparison.OrdinalIgnoreCase)
            ? (null, name ?? airline)
            : throw new RecordRejectedException($"bad-code: airline '{Shorten(airline)}' is not a code, and airline_name is another name, '{Shorten(name)}'");
    }

    /// <summary>origin-destination-yyyyMMddHHmm, with the digits written directly: a custom date format is parsed on every call.</summary>
    private static string FlightIdOf(string origin, string destination, DateTime departure) =>
        string.Create(origin.Length + destination.Length + 14, (origin, destination, departure), static (id, parts) =>
        {
            var (origin, destination, departure) = parts;
            origin.CopyTo(id);
            id[origin.Length] = '-';
            destination.CopyTo(id[(origin.Length + 1)..]);
            var time = id[^13..];
            time[0] = '-';
            Digits(time.Slice(1, 4), departure.Year);
            Digits(time.Slice(5, 2), departure.Month);
            Digits(time.Slice(7, 2), departure.Day);
            Digits(time.Slice(9, 2), departure.Hour);
            Digits(time.Slice(11, 2), departure.Minute);
        });

    private static void Digits(Span<char> into, int value)
    {
        for (var i = into.Length - 1; i >= 0; i--)
        {
            into[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }

    private string? Text(IFieldReader fields, string field)
    {
        var rule = RuleOf(field);
        return TextOf(ValueOf(fields, rule.Columns), field) ?? rule.Constant;
    }

    private static string? TextOf(FieldValue value, string field) => value.Kind switch
    {
        FieldKind.Text => string.IsNullOrWhiteSpace(value.Text) ? null : value.Text,
        // A number where a code is expected (a flight number, say) is still that code.
        FieldKind.Number => value.Number.ToString(CultureInfo.InvariantCulture),
        FieldKind.Date => throw WrongType(field, value.Date.ToString("O", CultureInfo.InvariantCulture), "text"),
        FieldKind.Other => throw WrongType(field, value.Text, "text"),
        _ => null,
    };

    private double? Number(IFieldReader fields, string field)
    {
        var rule = RuleOf(field);
        return NumberOf(ValueOf(fields, rule.Columns), field) ?? (rule.Constant is { } constant ? NumberOf(FieldValue.OfText(constant), field) : null);
    }

    /// <summary>A yes/no: a number other than 0 (BTS writes 1.00), or true/false.</summary>
    private bool? Flag(IFieldReader fields, string field)
    {
        var rule = RuleOf(field);
        var value = ValueOf(fields, rule.Columns);
        if (value.Kind is FieldKind.Missing or FieldKind.Null && rule.Constant is { } constant)
        {
            value = FieldValue.OfText(constant);
        }

        if (value.Kind == FieldKind.Text && bool.TryParse(value.Text!.Trim(), out var flag))
        {
            return flag;
        }

        try
        {
            return NumberOf(value, field) is { } number ? number != 0 : null;
        }
        catch (RecordRejectedException) when (value.Kind == FieldKind.Text)
        {
            throw WrongType(field, value.Text, "a flag (0 or 1, true or false)");
        }
    }

    private static double? NumberOf(FieldValue value, string field)
    {
        switch (value.Kind)
        {
            case FieldKind.Number:
                return double.IsFinite(value.Number) ? value.Number : throw NotANumber(field, value.Number.ToString(CultureInfo.InvariantCulture));
            case FieldKind.Text when string.IsNullOrWhiteSpace(value.Text):
                return null;
            case FieldKind.Text:
                if (double.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    return double.IsFinite(number) ? number : throw NotANumber(field, value.Text);
                }

                throw value.Text!.Trim().TrimStart('+', '-') is var word && (word.Equals("nan", StringComparison.OrdinalIgnoreCase) || word.StartsWith("inf", StringComparison.OrdinalIgnoreCase))
                    ? NotANumber(field, value.Text)
                    : WrongType(field, value.Text, "a number");
            case FieldKind.Date:
                throw WrongType(field, value.Date.ToString("O", CultureInfo.InvariantCulture), "a number");
            case FieldKind.Other:
                throw WrongType(field, value.Text, "a number");
            default:
                return null;
        }
    }

    private static DateTime? DateOf(FieldValue value, string field) => value.Kind switch
    {
        FieldKind.Date => DateTime.SpecifyKind(value.Date, DateTimeKind.Utc),
        FieldKind.Text when string.IsNullOrWhiteSpace(value.Text) => null,
        FieldKind.Text => DateTime.TryParseExact(value.Text.Trim(), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed
            : throw new RecordRejectedException($"{RejectionReasons.BadDate} {field} is \"{Shorten(value.Text)}\", not ISO-8601 or yyyy/MM/dd HH:mm"),
        FieldKind.Number => throw WrongType(field, value.Number.ToString(CultureInfo.InvariantCulture), "a date"),
        FieldKind.Other => throw WrongType(field, value.Text, "a date"),
        _ => null,
    };

    private static RecordRejectedException WrongType(string field, string? value, string expected) =>
        new($"{RejectionReasons.WrongType} {field} is {Shorten(value)}, not {expected}");

    private static RecordRejectedException NotANumber(string field, string? value) =>
        new($"{RejectionReasons.NotANumber} {field} is {Shorten(value)}");

    // Reasons are counted and logged; a huge value belongs in the original bytes, not in the reason.
    private static string Shorten(string? value) => value is null ? "null" : value.Length <= 40 ? value : value[..40] + "...";
}
