using Aero.Warehouse.Windows;

namespace Aero.Streams.Windows;

/// <summary>A partition as the warehouse stores it, and its watermark as the finalizer's rules see it (caught up or not).</summary>
public sealed record PartitionProgress(PartitionEventTime Stored, PartitionWatermark Mark);
