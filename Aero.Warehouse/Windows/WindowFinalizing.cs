namespace Aero.Warehouse.Windows;

/// <summary>What one finalizing transaction did: the windows it made final (none that were already), and the late partials it moved to <c>flight_window_late</c>.</summary>
public sealed record WindowFinalizing(IReadOnlyList<FinalizedWindow> Finalized, long LateRecords);
