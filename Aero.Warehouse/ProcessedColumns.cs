namespace Aero.Warehouse;

/// <summary>
/// The columns of <c>flights</c>, in table order, for every backend: a <see cref="LoadRow"/>'s processed flight and where
/// its record sat in Kafka. Only rows with a processed flight reach this table, so every value reads it. A new derived
/// field is a new entry at the end; columns are never removed or retyped.
/// </summary>
public static class ProcessedColumns
{
    public static IReadOnlyList<FlightColumn> All { get; } =
    [
        new(FlightColumns.EventId, FlightColumnType.Text, false, (r, _) => r.Processed!.EventId),
        new("flight_id", FlightColumnType.Text, false, (r, _) => r.Processed!.FlightId),
        new("event_time", FlightColumnType.Timestamp, false, (r, _) => r.Processed!.EventTime),
        new("airline", FlightColumnType.Text, true, (r, _) => r.Processed!.Airline),
        new("airline_name", FlightColumnType.Text, true, (r, _) => r.Processed!.AirlineName),
        new("flight_number", FlightColumnType.Text, true, (r, _) => r.Processed!.FlightNumber),
        new("origin", FlightColumnType.Text, true, (r, _) => r.Processed!.Origin),
        new("destination", FlightColumnType.Text, true, (r, _) => r.Processed!.Destination),
        new("scheduled_departure", FlightColumnType.Timestamp, true, (r, _) => r.Processed!.ScheduledDeparture),
        new("actual_departure", FlightColumnType.Timestamp, true, (r, _) => r.Processed!.ActualDeparture),
        new("scheduled_arrival", FlightColumnType.Timestamp, true, (r, _) => r.Processed!.ScheduledArrival),
        new("actual_arrival", FlightColumnType.Timestamp, true, (r, _) => r.Processed!.ActualArrival),
        new("departure_delay_minutes", FlightColumnType.Float8, true, (r, _) => r.Processed!.DepartureDelayMinutes),
        new("arrival_delay_minutes", FlightColumnType.Float8, true, (r, _) => r.Processed!.ArrivalDelayMinutes),
        new("delay_category", FlightColumnType.Text, true, (r, _) => r.Processed!.DelayCategory),
        new("flight_duration_minutes", FlightColumnType.Float8, true, (r, _) => r.Processed!.FlightDurationMinutes),
        new("event_date", FlightColumnType.Date, false, (r, _) => r.Processed!.EventDate),
        new("event_hour", FlightColumnType.Int4, false, (r, _) => r.Processed!.EventHour),
        new("event_day_of_week", FlightColumnType.Int4, false, (r, _) => r.Processed!.EventDayOfWeek),
        new("route", FlightColumnType.Text, false, (r, _) => r.Processed!.Route),
        new("origin_name", FlightColumnType.Text, true, (r, _) => r.Processed!.OriginName),
        new("origin_city", FlightColumnType.Text, true, (r, _) => r.Processed!.OriginCity),
        new("origin_state", FlightColumnType.Text, true, (r, _) => r.Processed!.OriginState),
        new("origin_latitude", FlightColumnType.Float8, true, (r, _) => r.Processed!.OriginLatitude),
        new("origin_longitude", FlightColumnType.Float8, true, (r, _) => r.Processed!.OriginLongitude),
        new("destination_name", FlightColumnType.Text, true, (r, _) => r.Processed!.DestinationName),
        new("destination_city", FlightColumnType.Text, true, (r, _) => r.Processed!.DestinationCity),
        new("destination_state", FlightColumnType.Text, true, (r, _) => r.Processed!.DestinationState),
        new("destination_latitude", FlightColumnType.Float8, true, (r, _) => r.Processed!.DestinationLatitude),
        new("destination_longitude", FlightColumnType.Float8, true, (r, _) => r.Processed!.DestinationLongitude),
        new("distance_miles", FlightColumnType.Float8, true, (r, _) => r.Processed!.DistanceMiles),
        new("distance_origin", FlightColumnType.Text, true, (r, _) => r.Processed!.DistanceOrigin),
        new("source", FlightColumnType.Text, false, (r, _) => r.Processed!.Source),
        new("processed_at", FlightColumnType.Timestamp, false, (r, _) => r.Processed!.ProcessedAt),
        new("kafka_topic", FlightColumnType.Text, false, (r, _) => r.Position.Topic),
        new("kafka_partition", FlightColumnType.Int4, false, (r, _) => r.Position.Partition),
        new("kafka_offset", FlightColumnType.BigInt, false, (r, _) => r.Position.Offset),
    ];

    /// <summary>The column list for INSERT and SELECT, quoted, in table order.</summary>
    public static string NameList { get; } = string.Join(", ", All.Select(c => FlightColumns.Quoted(c.Name)));
}
