namespace Aero.Warehouse.Windows;

/// <summary>A window by its id and bounds, <c>[Start, End)</c> in UTC.</summary>
public sealed record WindowRange(string WindowId, DateTime Start, DateTime End);
