namespace Aero.Warehouse.Tests;

/// <summary>The views over the windows' and jobs' tables on DuckDB.</summary>
public sealed class DuckDbOperationalViewsSpec : OperationalViewsConformance, IDisposable
{
    private readonly DuckDbTestStore _store = new();

    protected override Task<IWarehouse> OpenAsync() => _store.OpenAsync();

    public void Dispose() => _store.Dispose();
}
