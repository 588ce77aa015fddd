using Aero.Streams.Warehouse;

namespace Aero.Streams.Tests.Warehouse;

/// <summary>The conformance suite on PostgreSQL, one fresh schema per test.</summary>
public sealed class PostgresConformanceSpec : WarehouseConformance
{
    private PostgresTestStore? _store;

    private PostgresTestStore Store => _store ?? throw new InvalidOperationException("InitializeAsync has not run");

    public override async Task InitializeAsync() => _store = await PostgresTestStore.CreateAsync();

    public override async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    protected override Task<IWarehouse> OpenAsync() => Store.OpenAsync();

    protected override Task CreateOlderFlightsTableAsync(IReadOnlyList<FlightColumn> columns, LoadRow row) => Store.CreateOlderFlightsTableAsync(columns, row);
}
