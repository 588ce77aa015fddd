using Aero.Warehouse.Windows;

namespace Aero.Streams.Windows;

/// <summary>
/// One finalizing round: the windows it made final, the late records it counted, the windows still open, the topic's
/// watermark (null while a partition that has delivered nothing holds it), and the slowest partition that is not idle.
/// </summary>
public sealed record WindowRound(
    IReadOnlyList<FinalizedWindow> Finalized,
    long LateRecords,
    int OpenWindows,
    DateTime? Watermark,
    PartitionEventTime? SlowestPartition);
