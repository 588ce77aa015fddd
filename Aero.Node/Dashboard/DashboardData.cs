using Aero.Warehouse;
using Aero.Warehouse.Views;

namespace Aero.Node.Dashboard;

/// <summary>
/// The dashboard's numbers, read from the summary job's table (<paramref name="summaryTable"/>, a copy of the view
/// <see cref="WarehouseViews.DashboardSummary"/>) at most once per
/// <c>aero.dashboard.refresh-interval</c> however many pages ask: requests within it are answered from memory, and
/// concurrent ones share one read (which no single page's cancellation stops). A failed read is tried again by the
/// next request. Until the job first wrote its table there is no data yet.
/// </summary>
public sealed class DashboardData(IWarehouseQuery warehouse, DashboardSettings settings, string summaryTable)
{
    private readonly Lock _gate = new();
    private Task<DashboardSnapshot>? _read;
    private bool _tableSeen;

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
                _read = ReadAsync(previous);
            }

            return _read.WaitAsync(cancellationToken);
        }
    }

    private async Task<DashboardSnapshot> ReadAsync(DashboardSnapshot? previous)
    {
        if (!_tableSeen)
        {
            // The job's table exists once the coordinator's scheduler started (DuckDB, PostgreSQL) or the job first ran
            // (BigQuery); before that, no data yet rather than an error.
            if (!await warehouse.HasTableAsync(summaryTable, CancellationToken.None))
            {
                return DashboardSnapshot.Empty with { ReadAt = DateTime.UtcNow };
            }

            _tableSeen = true;
        }

        return await DashboardQueries.ReadAsync(warehouse, DashboardQueries.FromTable(summaryTable), settings.TopRoutes, settings.RouteMinFlights, previous, CancellationToken.None);
    }
}
