namespace Aero.Warehouse.Windows;

/// <summary>
/// A partition's progress in event time as the warehouse keeps it (<c>_aero_watermarks</c>): the highest event time it
/// stored a batch of (null before any), and when a batch or an assignment last touched it.
/// </summary>
public sealed record PartitionEventTime(string ClusterId, string Topic, int Partition, DateTime? MaxEventTime, DateTime UpdatedAt);
