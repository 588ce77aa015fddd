namespace Aero.Warehouse;

/// <summary>Table names shared by every backend.</summary>
public static class WarehouseTables
{
    public const string FlightsRaw = "flights_raw";
    /// <summary>The transformed flights, one per row of flights_raw that had a processed flight, written with it.</summary>
    public const string Flights = "flights";
    public const string DeadLetters = "dlq";
    public const string Offsets = "_aero_offsets";
}
