namespace Aero.Warehouse;

/// <summary>
/// What one batch did: rows newly stored, rows already present (same event id), dead letters stored. Of the dead
/// letters, <see cref="Refused"/> are rows the warehouse refused to store. <see cref="Fenced"/> counts the records of
/// partitions whose stored offset had already passed the batch's first record: another writer owns them now, and
/// nothing of them was written.
/// </summary>
public readonly record struct WriteResult(int Inserted, int AlreadyStored, int DeadLettered, int Refused = 0, int Fenced = 0);
