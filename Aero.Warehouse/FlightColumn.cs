namespace Aero.Warehouse;

/// <summary>
/// One column of <c>flights_raw</c>: its name, type, whether the current version requires it, and how a row fills it
/// (from the decoded record and the batch's ingest time).
/// </summary>
public sealed record FlightColumn(string Name, FlightColumnType Type, bool Nullable, Func<LoadRow, DateTime, object?> Value);
