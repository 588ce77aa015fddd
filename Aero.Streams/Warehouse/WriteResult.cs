namespace Aero.Streams.Warehouse;

/// <summary>What one batch did: rows newly stored, rows already present (same event id), dead letters stored.</summary>
public readonly record struct WriteResult(int Inserted, int AlreadyStored, int DeadLettered);
