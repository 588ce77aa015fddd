using System.Collections.Frozen;

namespace Aero.Streams.Extract;

/// <summary>The canonical field names a file may carry, by type; event_id, source and source_position are always computed.</summary>
internal static class FlightFields
{
    public const string FlightId = "flight_id";
    public const string Timestamp = "timestamp";
    public const string Airline = "airline";
    public const string AirlineName = "airline_name";
    public const string FlightNumber = "flight_number";
    public const string Origin = "origin";
    public const string Destination = "destination";
    public const string ScheduledDeparture = "scheduled_departure";
    public const string ActualDeparture = "actual_departure";
    public const string ScheduledArrival = "scheduled_arrival";
    public const string ActualArrival = "actual_arrival";
    public const string Status = "status";
    public const string AircraftType = "aircraft_type";
    public const string Latitude = "latitude";
    public const string Longitude = "longitude";
    public const string Altitude = "altitude";
    public const string Speed = "speed";
    public const string Distance = "distance";
    public const string Delay = "delay";
    public const string ArrivalDelay = "arrival_delay";
    public const string Cancelled = "cancelled";
    public const string CancellationCode = "cancellation_code";
    public const string Diverted = "diverted";
    public const string TailNumber = "tail_number";
    public const string TaxiOut = "taxi_out";
    public const string TaxiIn = "taxi_in";
    public const string ScheduledElapsed = "scheduled_elapsed";
    public const string ActualElapsed = "actual_elapsed";
    public const string AirTime = "air_time";
    public const string CarrierDelay = "carrier_delay";
    public const string WeatherDelay = "weather_delay";
    public const string NasDelay = "nas_delay";
    public const string SecurityDelay = "security_delay";
    public const string LateAircraftDelay = "late_aircraft_delay";

    /// <summary>
    /// The time fields in the order they are computed: a format's rule for one may refer only to those before it
    /// (an arrival is placed after its departure).
    /// </summary>
    public static readonly string[] Times = [ScheduledDeparture, ActualDeparture, ScheduledArrival, ActualArrival, Timestamp];

    /// <summary>The index of a time field in <see cref="Times"/>, or -1.</summary>
    public static int TimeIndex(string field) => Array.IndexOf(Times, field);

    /// <summary>Every field a format may map, with the type its value is read as.</summary>
    public static readonly FrozenDictionary<string, FieldType> Types = new Dictionary<string, FieldType>
    {
        [FlightId] = FieldType.Text,
        [Timestamp] = FieldType.Time,
        [Airline] = FieldType.Text,
        [AirlineName] = FieldType.Text,
        [FlightNumber] = FieldType.Text,
        [Origin] = FieldType.Text,
        [Destination] = FieldType.Text,
        [ScheduledDeparture] = FieldType.Time,
        [ActualDeparture] = FieldType.Time,
        [ScheduledArrival] = FieldType.Time,
        [ActualArrival] = FieldType.Time,
        [Status] = FieldType.Text,
        [AircraftType] = FieldType.Text,
        [Latitude] = FieldType.Number,
        [Longitude] = FieldType.Number,
        [Altitude] = FieldType.Number,
        [Speed] = FieldType.Number,
        [Distance] = FieldType.Number,
        [Delay] = FieldType.Number,
        [ArrivalDelay] = FieldType.Number,
        [Cancelled] = FieldType.Flag,
        [CancellationCode] = FieldType.Text,
        [Diverted] = FieldType.Flag,
        [TailNumber] = FieldType.Text,
        [TaxiOut] = FieldType.Number,
        [TaxiIn] = FieldType.Number,
        [ScheduledElapsed] = FieldType.Number,
        [ActualElapsed] = FieldType.Number,
        [AirTime] = FieldType.Number,
        [CarrierDelay] = FieldType.Number,
        [WeatherDelay] = FieldType.Number,
        [NasDelay] = FieldType.Number,
        [SecurityDelay] = FieldType.Number,
        [LateAircraftDelay] = FieldType.Number,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static readonly FrozenSet<string> Mappable = Types.Keys.ToFrozenSet(StringComparer.Ordinal);
}
