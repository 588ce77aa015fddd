using System.Globalization;
using Aero.Flights;

namespace Aero.Streams.Extract;

/// <summary>
/// Maps one input record onto the canonical <see cref="FlightRecord"/>, whether it uses the canonical names or the
/// vega-datasets ones (date, delay, distance, origin, destination), the same way as <see cref="VegaFlightMapping"/>:
/// scheduled departure = date, actual departure = scheduled + delay when not given, flight id =
/// origin-destination-yyyyMMddHHmm when not given. Throws <see cref="RecordRejectedException"/> with a reason.
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

    private readonly Func<string, string> columnOf;
    private readonly bool dateIsMapped;

    public FlightFieldMapper(FileSourceSettings settings)
    {
        var columns = settings.Columns;
        // Called for every field of every record: without renames (the usual case) a field is its column.
        columnOf = columns.Count == 0 ? field => field : field => columns.TryGetValue(field, out var column) ? column : field;
        dateIsMapped = columns.ContainsKey(FlightFields.ScheduledDeparture);
    }

    /// <summary>The names in the file this mapper reads: what a Parquet reader needs to fetch.</summary>
    public IEnumerable<string> ColumnNames => FlightFields.Mappable.Select(columnOf).Append(FlightFields.VegaDate);

    public FlightRecord Map(IFieldReader fields, string eventId, string source, long position)
    {
        var scheduled = Date(fields, FlightFields.ScheduledDeparture);
        if (scheduled is null && !dateIsMapped)
        {
            scheduled = DateOf(fields.Get(FlightFields.VegaDate), FlightFields.VegaDate);
        }

        var timestamp = Date(fields, FlightFields.Timestamp) ?? scheduled
            ?? throw new RecordRejectedException($"{RejectionReasons.MissingField} timestamp (no timestamp, scheduled_departure or date)");
        var origin = Text(fields, FlightFields.Origin);
        var destination = Text(fields, FlightFields.Destination);
        var delay = Number(fields, FlightFields.Delay);
        var flightId = Text(fields, FlightFields.FlightId)
            ?? (origin is not null && destination is not null && scheduled is { } departure
                ? FlightIdOf(origin, destination, departure)
                : throw new RecordRejectedException($"{RejectionReasons.MissingField} flight_id (no flight_id, and no origin, destination and scheduled departure to build one)"));

        var (airline, airlineName) = Airline(Text(fields, FlightFields.Airline), Text(fields, FlightFields.AirlineName));
        return new FlightRecord
        {
            EventId = eventId,
            FlightId = flightId,
            Timestamp = timestamp,
            Airline = airline,
            AirlineName = airlineName,
            FlightNumber = Text(fields, FlightFields.FlightNumber),
            Origin = origin,
            Destination = destination,
            ScheduledDeparture = scheduled,
            ActualDeparture = Date(fields, FlightFields.ActualDeparture) ?? (scheduled is { } s && delay is { } d ? s.AddMinutes(d) : null),
            ScheduledArrival = Date(fields, FlightFields.ScheduledArrival),
            ActualArrival = Date(fields, FlightFields.ActualArrival),
            Status = Text(fields, FlightFields.Status),
            AircraftType = Text(fields, FlightFields.AircraftType),
            Latitude = Number(fields, FlightFields.Latitude),
            Longitude = Number(fields, FlightFields.Longitude),
            Altitude = Number(fields, FlightFields.Altitude),
            Speed = Number(fields, FlightFields.Speed),
            Distance = Number(fields, FlightFields.Distance),
            Delay = delay,
            Source = source,
            SourcePosition = position,
        };
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
        var value = fields.Get(columnOf(field));
        return value.Kind switch
        {
            FieldKind.Text => string.IsNullOrWhiteSpace(value.Text) ? null : value.Text,
            // A number where a code is expected (a flight number, say) is still that code.
            FieldKind.Number => value.Number.ToString(CultureInfo.InvariantCulture),
            FieldKind.Date => throw WrongType(field, value.Date.ToString("O", CultureInfo.InvariantCulture), "text"),
            FieldKind.Other => throw WrongType(field, value.Text, "text"),
            _ => null,
        };
    }

    private double? Number(IFieldReader fields, string field)
    {
        var value = fields.Get(columnOf(field));
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

    private DateTime? Date(IFieldReader fields, string field) => DateOf(fields.Get(columnOf(field)), field);

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
