namespace Aero.Warehouse.Windows;

/// <summary>
/// A partition's progress in event time as the warehouse keeps it (<c>_aero_watermarks</c>): the highest event time it
/// stored a batch of (null before any), when a batch or an assignment last touched it, and the next offset its stored
/// batches reached (<c>_aero_offsets</c>; null before any), which says whether it is read up to its log end.
/// </summary>
public sealed record PartitionEventTime(string ClusterId, string Topic, int Partition, DateTime? MaxEventTime, DateTime UpdatedAt, long? NextOffset);
