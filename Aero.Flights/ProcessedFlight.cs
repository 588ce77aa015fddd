using System.Text.Json.Serialization;

namespace Aero.Flights;

/// <summary>
/// A flight record after the per-record transform: the record's own fields, the derived ones (delays, category,
/// duration, calendar fields of the event time in UTC, route) and the airports' reference data. One row of the
/// warehouse table <c>flights</c> and one message on <c>flights-processed</c> (UTF-8 JSON, snake_case, key = flight id).
/// </summary>
public sealed record ProcessedFlight
{
    [JsonPropertyName("event_id")]
    public required string EventId { get; init; }

    [JsonPropertyName("flight_id")]
    public required string FlightId { get; init; }

    /// <summary>The record's event time, UTC.</summary>
    [JsonPropertyName("event_time")]
    public required DateTime EventTime { get; init; }

    [JsonPropertyName("airline")]
    public string? Airline { get; init; }

    [JsonPropertyName("airline_name")]
    public string? AirlineName { get; init; }

    [JsonPropertyName("flight_number")]
    public string? FlightNumber { get; init; }

    [JsonPropertyName("origin")]
    public string? Origin { get; init; }

    [JsonPropertyName("destination")]
    public string? Destination { get; init; }

    [JsonPropertyName("scheduled_departure")]
    public DateTime? ScheduledDeparture { get; init; }

    [JsonPropertyName("actual_departure")]
    public DateTime? ActualDeparture { get; init; }

    [JsonPropertyName("scheduled_arrival")]
    public DateTime? ScheduledArrival { get; init; }

    [JsonPropertyName("actual_arrival")]
    public DateTime? ActualArrival { get; init; }

    /// <summary>Minutes late at departure (negative: early), from the departure times, else the source's delay field.</summary>
    [JsonPropertyName("departure_delay_minutes")]
    public double? DepartureDelayMinutes { get; init; }

    /// <summary>Minutes late at arrival (negative: early), from the arrival times.</summary>
    [JsonPropertyName("arrival_delay_minutes")]
    public double? ArrivalDelayMinutes { get; init; }

    /// <summary>On-Time, Minor, Moderate or Major, from the departure delay (thresholds in aero.transform.delay-categories).</summary>
    [JsonPropertyName("delay_category")]
    public string? DelayCategory { get; init; }

    /// <summary>Minutes from departure to arrival: actual times when both are known, else scheduled ones.</summary>
    [JsonPropertyName("flight_duration_minutes")]
    public double? FlightDurationMinutes { get; init; }

    /// <summary>The event time's date (UTC).</summary>
    [JsonPropertyName("event_date")]
    public required DateOnly EventDate { get; init; }

    /// <summary>The event time's hour, 0 to 23 (UTC).</summary>
    [JsonPropertyName("event_hour")]
    public required int EventHour { get; init; }

    /// <summary>The event time's ISO day of the week, 1 (Monday) to 7 (Sunday) (UTC).</summary>
    [JsonPropertyName("event_day_of_week")]
    public required int EventDayOfWeek { get; init; }

    /// <summary><c>ORIGIN-DESTINATION</c>, with <c>?</c> for an airport the record does not name.</summary>
    [JsonPropertyName("route")]
    public required string Route { get; init; }

    [JsonPropertyName("origin_name")]
    public string? OriginName { get; init; }

    [JsonPropertyName("origin_city")]
    public string? OriginCity { get; init; }

    [JsonPropertyName("origin_state")]
    public string? OriginState { get; init; }

    [JsonPropertyName("origin_latitude")]
    public double? OriginLatitude { get; init; }

    [JsonPropertyName("origin_longitude")]
    public double? OriginLongitude { get; init; }

    [JsonPropertyName("destination_name")]
    public string? DestinationName { get; init; }

    [JsonPropertyName("destination_city")]
    public string? DestinationCity { get; init; }

    [JsonPropertyName("destination_state")]
    public string? DestinationState { get; init; }

    [JsonPropertyName("destination_latitude")]
    public double? DestinationLatitude { get; init; }

    [JsonPropertyName("destination_longitude")]
    public double? DestinationLongitude { get; init; }

    /// <summary>Miles: the source's distance, else the great-circle distance between the two airports.</summary>
    [JsonPropertyName("distance_miles")]
    public double? DistanceMiles { get; init; }

    /// <summary>Where <see cref="DistanceMiles"/> came from: <c>source</c> or <c>great-circle</c>; null without a distance.</summary>
    [JsonPropertyName("distance_origin")]
    public string? DistanceOrigin { get; init; }

    [JsonPropertyName("source")]
    public required string Source { get; init; }

    /// <summary>When the transform made this row (UTC).</summary>
    [JsonPropertyName("processed_at")]
    public required DateTime ProcessedAt { get; init; }
}
