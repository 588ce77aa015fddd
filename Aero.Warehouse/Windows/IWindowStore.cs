namespace Aero.Warehouse.Windows;

/// <summary>
/// The windows' side of a warehouse, for the coordinator that finalizes them and for the load's assignments. Every
/// answer comes from the tables, so a coordinator that moves to another node picks up exactly where this one was.
/// </summary>
public interface IWindowStore
{
    /// <summary>
    /// Partitions just assigned to a load: their watermark rows exist from now on (a partition that has delivered
    /// nothing holds every window open until it is idle), and count as touched now.
    /// </summary>
    Task RegisterPartitionsAsync(string clusterId, string topic, IReadOnlyCollection<int> partitions, CancellationToken cancellationToken = default);

    /// <summary>The open windows (oldest end first), every partition's event time, the latest <paramref name="lastFinalized"/> final windows.</summary>
    Task<WindowsOverview> OverviewAsync(int lastFinalized, CancellationToken cancellationToken = default);

    /// <summary>
    /// One transaction: marks the windows final (those final already are left alone, so two coordinators never
    /// finalize one twice), merges their partials into <c>flight_window_stats</c>, and moves the partials of any window
    /// final before into <c>flight_window_late</c>, with how far behind the window's watermark they were.
    /// </summary>
    Task<WindowFinalizing> FinalizeAsync(IReadOnlyList<WindowRange> windows, DateTime watermark, string closedBy, CancellationToken cancellationToken = default);
}
