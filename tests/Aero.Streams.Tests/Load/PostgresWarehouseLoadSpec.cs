using Aero.Warehouse;
using Aero.Warehouse.Tests;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Streams.Tests.Load;

/// <summary>The load graph into PostgreSQL, one fresh schema per test.</summary>
public sealed class PostgresWarehouseLoadSpec(ITestOutputHelper output) : WarehouseLoadSpec(output), IAsyncLifetime
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

    protected override Task<IWarehouse> OpenWarehouseAsync() =>
        (_store ?? throw new InvalidOperationException("InitializeAsync has not run")).OpenAsync();
}
