using System.Text.Json.Serialization;

namespace Aero.Flights;

/// <summary>
/// The canonical flight record on <c>flights-raw</c> (UTF-8 JSON, snake_case). Sources fill what they know;
/// <see cref="EventId"/> is deterministic from the record's content (docs/FLIGHT_RECORD.md), so extracting twice yields the same ids.
/// </summary>
public sealed record FlightRecord
{
    /// <summary>
    /// Wire format version, sent as the <c>schema-version</c> header. 2 added <see cref="AirlineName"/>; 3 what BTS On-Time
    /// files carry: cancellation, diversion, arrival delay, taxi and elapsed times, the five delay causes, tail number.
    /// </summary>
    public const int SchemaVersion = 3;

    /// <summary>The Kafka header that carries <see cref="SchemaVersion"/>.</summary>
    public const string SchemaVersionHeader = "schema-version";

    [JsonPropertyName("event_id")]
    public required string EventId { get; init; }

    [JsonPropertyName("flight_id")]
    public required string FlightId { get; init; }

    /// <summary>Event time: when the record describes the flight (for the vega data, the scheduled departure).</summary>
    [JsonPropertyName("timestamp")]
    public required DateTime Timestamp { get; init; }

    /// <summary>The airline's IATA (2) or ICAO (3) code, when the source gives one.</summary>
    [JsonPropertyName("airline")]
    public string? Airline { get; init; }

    /// <summary>The airline's name, when the source gives one (in its own field, or in place of the code).</summary>
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

    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("aircraft_type")]
    public string? AircraftType { get; init; }

    [JsonPropertyName("latitude")]
    public double? Latitude { get; init; }

    [JsonPropertyName("longitude")]
    public double? Longitude { get; init; }

    [JsonPropertyName("altitude")]
    public double? Altitude { get; init; }

    [JsonPropertyName("speed")]
    public double? Speed { get; init; }

    [JsonPropertyName("distance")]
    public double? Distance { get; init; }

    /// <summary>Departure delay in minutes; negative means early.</summary>
    [JsonPropertyName("delay")]
    public double? Delay { get; init; }

    /// <summary>Arrival delay in minutes; negative means early.</summary>
    [JsonPropertyName("arrival_delay")]
    public double? ArrivalDelay { get; init; }

    /// <summary>The flight was cancelled (BTS Cancelled = 1).</summary>
    [JsonPropertyName("cancelled")]
    public bool? Cancelled { get; init; }

    /// <summary>Why it was cancelled: A carrier, B weather, C national air system, D security.</summary>
    [JsonPropertyName("cancellation_code")]
    public string? CancellationCode { get; init; }

    /// <summary>The flight landed elsewhere than its scheduled destination (BTS Diverted = 1).</summary>
    [JsonPropertyName("diverted")]
    public bool? Diverted { get; init; }

    [JsonPropertyName("tail_number")]
    public string? TailNumber { get; init; }

    /// <summary>Minutes from gate departure to wheels off.</summary>
    [JsonPropertyName("taxi_out")]
    public double? TaxiOut { get; init; }

    /// <summary>Minutes from wheels on to gate arrival.</summary>
    [JsonPropertyName("taxi_in")]
    public double? TaxiIn { get; init; }

    /// <summary>Scheduled gate-to-gate minutes (BTS CRSElapsedTime).</summary>
    [JsonPropertyName("scheduled_elapsed")]
    public double? ScheduledElapsed { get; init; }

    /// <summary>Actual gate-to-gate minutes (BTS ActualElapsedTime).</summary>
    [JsonPropertyName("actual_elapsed")]
    public double? ActualElapsed { get; init; }

    /// <summary>Minutes in the air, wheels off to wheels on.</summary>
    [JsonPropertyName("air_time")]
    public double? AirTime { get; init; }

    /// <summary>Minutes of the arrival delay caused by the carrier.</summary>
    [JsonPropertyName("carrier_delay")]
    public double? CarrierDelay { get; init; }

    /// <summary>Minutes of the arrival delay caused by weather.</summary>
    [JsonPropertyName("weather_delay")]
    public double? WeatherDelay { get; init; }

    /// <summary>Minutes of the arrival delay caused by the national air system.</summary>
    [JsonPropertyName("nas_delay")]
    public double? NasDelay { get; init; }

    /// <summary>Minutes of the arrival delay caused by security.</summary>
    [JsonPropertyName("security_delay")]
    public double? SecurityDelay { get; init; }

    /// <summary>Minutes of the arrival delay caused by the aircraft arriving late from its previous flight.</summary>
    [JsonPropertyName("late_aircraft_delay")]
    public double? LateAircraftDelay { get; init; }

    /// <summary>Where the record came from: the file name or API name.</summary>
    [JsonPropertyName("source")]
    public required string Source { get; init; }

    /// <summary>Position within the source: the zero-based record index, or the row for CSV.</summary>
    [JsonPropertyName("source_position")]
    public long? SourcePosition { get; init; }
}
