using System.Globalization;

namespace Aero.Flights;

/// <summary>
/// Maps a vega-datasets flight onto the canonical record: scheduled departure = date, actual departure =
/// date + delay minutes, flight id = origin-destination-yyyyMMddHHmm (the data has no carrier or number).
/// </summary>
public static class VegaFlightMapping
{
    public static FlightRecord ToRecord(VegaFlight flight, string source, long position)
    {
        var scheduled = ParseDate(flight.Date);
        return new FlightRecord
        {
            EventId = EventIds.FromPosition(source, position),
            FlightId = $"{flight.Origin}-{flight.Destination}-{scheduled:yyyyMMddHHmm}",
            Timestamp = scheduled,
            Origin = flight.Origin,
            Destination = flight.Destination,
            ScheduledDeparture = scheduled,
            ActualDeparture = flight.Delay is { } delay ? scheduled.AddMinutes(delay) : null,
            Delay = flight.Delay,
            Distance = flight.Distance,
            Source = source,
            SourcePosition = position,
        };
    }

    private static DateTime ParseDate(string? date) =>
        DateTime.TryParseExact(date, "yyyy/MM/dd HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed
            : throw new FormatException($"'{date}' is not a vega flight date (yyyy/MM/dd HH:mm)");
}
