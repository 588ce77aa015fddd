using System.Text.Json.Serialization;

namespace Aero.Flights;

/// <summary>
/// The canonical flight record on <c>flights-raw</c> (UTF-8 JSON, snake_case). Sources fill what they know;
/// <see cref="EventId"/> is deterministic from the record's content (docs/FLIGHT_RECORD.md), so extracting twice yields the same ids.
/// </summary>
public sealed record FlightRecord
{
    /// <summary>Wire format version, sent as the <c>schema-version</c> header. 2 added <see cref="AirlineName"/>.</summary>
    public const int SchemaVersion = 2;

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

    /// <summary>Where the record came from: the file name or API name.</summary>
    [JsonPropertyName("source")]
    public required string Source { get; init; }

    /// <summary>Position within the source: the zero-based record index, or the row for CSV.</summary>
    [JsonPropertyName("source_position")]
    public long? SourcePosition { get; init; }
}
