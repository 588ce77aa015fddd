namespace Aero.Warehouse.Windows;

/// <summary>
/// A window made final: when, at which watermark, why (<see cref="WindowClosings"/>), and how many records it counts
/// (under its first dimension's keys).
/// </summary>
public sealed record FinalizedWindow(WindowRange Window, DateTime Watermark, DateTime FinalizedAt, string ClosedBy, long Flights);
