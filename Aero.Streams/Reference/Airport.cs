namespace Aero.Streams.Reference;

/// <summary>One airport of the reference data.</summary>
public sealed record Airport(string Iata, string Name, string? City, string? State, string? Country, double Latitude, double Longitude)
{
    /// <summary>The ICAO code, when the reference data has one.</summary>
    public string? Icao { get; init; }

    /// <summary>The IANA time zone id (America/Chicago), when the reference data has one: its local times are in it.</summary>
    public string? TimeZone { get; init; }
}
