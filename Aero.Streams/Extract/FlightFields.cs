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

    /// <summary>vega-datasets' name for the scheduled departure.</summary>
    public const string VegaDate = "date";

    public static readonly FrozenSet<string> Mappable = new[]
    {
        FlightId, Timestamp, Airline, AirlineName, FlightNumber, Origin, Destination, ScheduledDeparture, ActualDeparture, ScheduledArrival,
        ActualArrival, Status, AircraftType, Latitude, Longitude, Altitude, Speed, Distance, Delay,
    }.ToFrozenSet(StringComparer.Ordinal);
}
