namespace Aero.Streams.Reference;

/// <summary>One airport of the reference data.</summary>
public sealed record Airport(string Iata, string Name, string? City, string? State, string? Country, double Latitude, double Longitude);
