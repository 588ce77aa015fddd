namespace Aero.Warehouse.Windows;

/// <summary>What the warehouse holds of windows: the open ones (with partials, not final), each partition's event time, the latest final ones, the late records counted, and the partials written since their window was final (to be counted late by the next finalizing).</summary>
public sealed record WindowsOverview(
    IReadOnlyList<WindowRange> Open,
    IReadOnlyList<PartitionEventTime> Partitions,
    IReadOnlyList<FinalizedWindow> LastFinalized,
    long LateRecords,
    long PendingLate);
