using Aero.Streams.Warehouse;

namespace Aero.Streams.Tests.Warehouse;

public sealed class DuckDbConformanceSpec : WarehouseConformance, IDisposable
{
    private readonly DuckDbTestStore _store = new();

    protected override Task<IWarehouse> OpenAsync() => _store.OpenAsync();

    protected override Task CreateOlderFlightsTableAsync(IReadOnlyList<FlightColumn> columns, LoadRow row) => _store.CreateOlderFlightsTableAsync(columns, row);

    public void Dispose() => _store.Dispose();
}
