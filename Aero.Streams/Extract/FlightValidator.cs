using System.Text.RegularExpressions;
using Aero.Flights;

namespace Aero.Streams.Extract;

/// <summary>
/// Checks a parsed record: required fields, code shapes (IATA/ICAO), airline names, time order and plausible ranges.
/// Reasons start with a stable prefix ("missing-field:", "bad-code:", "bad-name:", "time-order:", "out-of-range:") so
/// they can be counted per kind.
/// </summary>
public sealed partial class FlightValidator(ValidationSettings settings)
{
    /// <summary>The first problem found, or null when the record is valid.</summary>
    public string? Validate(FlightRecord flight)
    {
        if (string.IsNullOrWhiteSpace(flight.EventId))
        {
            return "missing-field: event_id";
        }

        if (string.IsNullOrWhiteSpace(flight.FlightId))
        {
            return "missing-field: flight_id";
        }

        if (flight.Timestamp == default)
        {
            return "missing-field: timestamp";
        }

        return CheckAirlineCode(flight.Airline)
            ?? CheckAirlineName(flight.AirlineName)
            ?? CheckCode("origin", flight.Origin, AirportCode())
            ?? CheckCode("destination", flight.Destination, AirportCode())
            ?? CheckOrder("scheduled_arrival", flight.ScheduledArrival, "scheduled_departure", flight.ScheduledDeparture)
            ?? CheckOrder("actual_arrival", flight.ActualArrival, "actual_departure", flight.ActualDeparture)
            ?? CheckRange("delay", flight.Delay, settings.DelayMinutes)
            ?? CheckRange("altitude", flight.Altitude, settings.AltitudeMetres)
            ?? CheckRange("speed", flight.Speed, settings.SpeedMetresPerSecond)
            ?? CheckRange("distance", flight.Distance, settings.DistanceMiles)
            ?? CheckRange("latitude", flight.Latitude, new PlausibleRange(-90, 90))
            ?? CheckRange("longitude", flight.Longitude, new PlausibleRange(-180, 180));
    }

    /// <summary>An IATA (2 letters or digits) or ICAO (3 letters) airline designator.</summary>
    public static bool IsAirlineCode(string value) => AirlineCode().IsMatch(value);

    /// <summary>
    /// Could be an airline's name: at least two letters, and no control characters. Names take every script and sign
    /// ("Société Air France", "easyJet", "Jet2.com"), so little else can be ruled out.
    /// </summary>
    public static bool IsAirlineName(string value)
    {
        var letters = 0;
        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                return false;
            }

            letters += char.IsLetter(c) ? 1 : 0;
        }

        return letters >= 2;
    }

    private static string? CheckAirlineCode(string? code) =>
        code is null || IsAirlineCode(code) ? null : $"bad-code: airline '{code}' is neither an IATA or ICAO code nor an airline name";

    private static string? CheckAirlineName(string? name) =>
        name is null || IsAirlineName(name) ? null : $"bad-name: airline_name '{name}' is not an airline name (it needs two letters and no control characters)";

    private static string? CheckCode(string field, string? code, Regex shape) =>
        code is null || shape.IsMatch(code) ? null : $"bad-code: {field} '{code}' is not an IATA or ICAO code";

    private static string? CheckOrder(string laterField, DateTime? later, string earlierField, DateTime? earlier) =>
        later is { } l && earlier is { } e && l <= e
            ? FormattableString.Invariant($"time-order: {laterField} {l:O} is not after {earlierField} {e:O}")
            : null;

    private static string? CheckRange(string field, double? value, PlausibleRange range) =>
        value switch
        {
            null => null,
            { } v when double.IsNaN(v) || double.IsInfinity(v) => FormattableString.Invariant($"not-a-number: {field} is {v}"),
            { } v when !range.Contains(v) => FormattableString.Invariant($"out-of-range: {field} {v} is outside {range}"),
            _ => null,
        };

    // IATA airline designators are 2 characters, ICAO 3 letters.
    [GeneratedRegex("^(?:[A-Z0-9]{2}|[A-Z]{3})$")]
    private static partial Regex AirlineCode();

    // IATA airport codes are 3 letters, ICAO 4 letters or digits (US small fields such as 00M count as 3).
    [GeneratedRegex("^[A-Z0-9]{3,4}$")]
    private static partial Regex AirportCode();
}
