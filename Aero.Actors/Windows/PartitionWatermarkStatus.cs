namespace Aero.Actors.Windows;

/// <summary>One partition's event-time progress as the finalizer sees it: its highest event time, watermark, last batch, and whether it is idle.</summary>
public sealed record PartitionWatermarkStatus(string ClusterId, string Topic, int Partition, DateTime? MaxEventTime, DateTime? Watermark, DateTime UpdatedAt, bool Idle);
