using Aero.Warehouse.Windows;

namespace Aero.Actors.Windows;

/// <summary>
/// What <c>aero windows</c> shows: the open windows, each partition's highest event time and watermark (and whether it
/// is idle), the topic's watermark, the latest final windows and the late records counted. <see cref="Problem"/> says
/// why there is nothing (the warehouse keeps no windows, or could not be opened).
/// </summary>
public sealed record WindowsStatus(
    IReadOnlyList<WindowRange> Open,
    IReadOnlyList<PartitionWatermarkStatus> Partitions,
    DateTime? Watermark,
    IReadOnlyList<FinalizedWindow> LastFinalized,
    long LateRecords,
    string? Problem = null);
