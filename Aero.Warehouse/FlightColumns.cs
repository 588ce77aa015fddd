namespace Aero.Warehouse;

/// <summary>
/// The columns of <c>flights_raw</c>, in table order, for every backend: each one builds its DDL, its staging table and
/// its writes from this list, and on open adds the columns an older table lacks (as nullable: old rows have no value).
/// A new field of the record is a new entry at the end; columns are never removed or retyped.
/// </summary>
public static class FlightColumns
{
    public const string EventId = "event_id";

    public static IReadOnlyList<FlightColumn> All { get; } =
    [
        new(EventId, FlightColumnType.Text, false, (r, _) => r.Flight.EventId),
        new("flight_id", FlightColumnType.Text, false, (r, _) => r.Flight.FlightId),
        new("timestamp", FlightColumnType.Timestamp, false, (r, _) => r.Flight.Timestamp),
        new("airline", FlightColumnType.Text, true, (r, _) => r.Flight.Airline),
        new("flight_number", FlightColumnType.Text, true, (r, _) => r.Flight.FlightNumber),
        new("origin", FlightColumnType.Text, true, (r, _) => r.Flight.Origin),
        new("destination", FlightColumnType.Text, true, (r, _) => r.Flight.Destination),
        new("scheduled_departure", FlightColumnType.Timestamp, true, (r, _) => r.Flight.ScheduledDeparture),
        new("actual_departure", FlightColumnType.Timestamp, true, (r, _) => r.Flight.ActualDeparture),
        new("scheduled_arrival", FlightColumnType.Timestamp, true, (r, _) => r.Flight.ScheduledArrival),
        new("actual_arrival", FlightColumnType.Timestamp, true, (r, _) => r.Flight.ActualArrival),
        new("status", FlightColumnType.Text, true, (r, _) => r.Flight.Status),
        new("aircraft_type", FlightColumnType.Text, true, (r, _) => r.Flight.AircraftType),
        new("latitude", FlightColumnType.Float8, true, (r, _) => r.Flight.Latitude),
        new("longitude", FlightColumnType.Float8, true, (r, _) => r.Flight.Longitude),
        new("altitude", FlightColumnType.Float8, true, (r, _) => r.Flight.Altitude),
        new("speed", FlightColumnType.Float8, true, (r, _) => r.Flight.Speed),
        new("distance", FlightColumnType.Float8, true, (r, _) => r.Flight.Distance),
        new("delay", FlightColumnType.Float8, true, (r, _) => r.Flight.Delay),
        new("source", FlightColumnType.Text, false, (r, _) => r.Flight.Source),
        new("source_position", FlightColumnType.BigInt, true, (r, _) => r.Flight.SourcePosition),
        new("raw", FlightColumnType.Json, false, (r, _) => r.RawJson),
        new("kafka_topic", FlightColumnType.Text, false, (r, _) => r.Position.Topic),
        new("kafka_partition", FlightColumnType.Int4, false, (r, _) => r.Position.Partition),
        new("kafka_offset", FlightColumnType.BigInt, false, (r, _) => r.Position.Offset),
        new("kafka_timestamp", FlightColumnType.Timestamp, true, (r, _) => r.Position.Timestamp),
        new("ingested_at", FlightColumnType.Timestamp, false, (_, ingestedAt) => ingestedAt),
        new("airline_name", FlightColumnType.Text, true, (r, _) => r.Flight.AirlineName),
        new("arrival_delay", FlightColumnType.Float8, true, (r, _) => r.Flight.ArrivalDelay),
        new("cancelled", FlightColumnType.Boolean, true, (r, _) => r.Flight.Cancelled),
        new("cancellation_code", FlightColumnType.Text, true, (r, _) => r.Flight.CancellationCode),
        new("diverted", FlightColumnType.Boolean, true, (r, _) => r.Flight.Diverted),
        new("tail_number", FlightColumnType.Text, true, (r, _) => r.Flight.TailNumber),
        new("taxi_out", FlightColumnType.Float8, true, (r, _) => r.Flight.TaxiOut),
        new("taxi_in", FlightColumnType.Float8, true, (r, _) => r.Flight.TaxiIn),
        new("scheduled_elapsed", FlightColumnType.Float8, true, (r, _) => r.Flight.ScheduledElapsed),
        new("actual_elapsed", FlightColumnType.Float8, true, (r, _) => r.Flight.ActualElapsed),
        new("air_time", FlightColumnType.Float8, true, (r, _) => r.Flight.AirTime),
        new("carrier_delay", FlightColumnType.Float8, true, (r, _) => r.Flight.CarrierDelay),
        new("weather_delay", FlightColumnType.Float8, true, (r, _) => r.Flight.WeatherDelay),
        new("nas_delay", FlightColumnType.Float8, true, (r, _) => r.Flight.NasDelay),
        new("security_delay", FlightColumnType.Float8, true, (r, _) => r.Flight.SecurityDelay),
        new("late_aircraft_delay", FlightColumnType.Float8, true, (r, _) => r.Flight.LateAircraftDelay),
    ];

    /// <summary>The name as an SQL identifier, quoted (<c>timestamp</c> is a keyword in both dialects).</summary>
    public static string Quoted(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>The column list for INSERT and SELECT, quoted, in table order.</summary>
    public static string NameList { get; } = string.Join(", ", All.Select(c => Quoted(c.Name)));
}
