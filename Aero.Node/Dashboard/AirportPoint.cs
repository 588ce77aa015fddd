namespace Aero.Node.Dashboard;

/// <summary>An airport on the map: where it is, how many flights left it and their average departure delay.</summary>
public sealed record AirportPoint(string Code, double Latitude, double Longitude, long Flights, double? AverageDelayMinutes);
