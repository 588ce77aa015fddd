using Aero.Warehouse;

namespace Aero.Node.Dashboard;

/// <summary>
/// The dashboard's numbers, read from the warehouse at most once per <c>aero.dashboard.refresh-interval</c> however
/// many pages ask: requests within it are answered from memory, and concurrent ones share one read (which no single
/// page's cancellation stops). A failed read is tried again by the next request.
/// </summary>
public sealed class DashboardData(IWarehouseQuery warehouse, DashboardSettings settings)
{
    private readonly Lock _gate = new();
    private Task<DashboardSnapshot>? _read;

    public Task<DashboardSnapshot> GetAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var previous = _read is { IsCompletedSuccessfully: true } done ? done.Result : null;
            if (previous is not null && DateTime.UtcNow - previous.ReadAt < settings.RefreshInterval)
            {
                return _read!;
            }

            if (_read is not { IsCompleted: false })
            {
                _read = DashboardQueries.ReadAsync(warehouse, settings.TopRoutes, settings.RouteMinFlights, previous, CancellationToken.None);
            }

            return _read.WaitAsync(cancellationToken);
        }
    }
}
