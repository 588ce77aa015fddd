namespace Aero.Warehouse;

/// <summary>Table names shared by every backend.</summary>
public static class WarehouseTables
{
    public const string FlightsRaw = "flights_raw";
    public const string DeadLetters = "dlq";
    public const string Offsets = "_aero_offsets";
}
