using Xunit;

namespace Aero.Warehouse.Tests;

/// <summary>The views over the windows' and jobs' tables on PostgreSQL, one fresh schema per test.</summary>
public sealed class PostgresOperationalViewsSpec : OperationalViewsConformance, IAsyncLifetime
{
    private PostgresTestStore? _store;

    public async Task InitializeAsync() => _store = await PostgresTestStore.CreateAsync();

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    protected override Task<IWarehouse> OpenAsync() => (_store ?? throw new InvalidOperationException("InitializeAsync has not run")).OpenAsync();
}
