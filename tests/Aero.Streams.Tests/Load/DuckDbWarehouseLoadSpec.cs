using Aero.Warehouse;
using Aero.Warehouse.Tests;
using Xunit.Abstractions;

namespace Aero.Streams.Tests.Load;

public sealed class DuckDbWarehouseLoadSpec(ITestOutputHelper output) : WarehouseLoadSpec(output)
{
    private readonly DuckDbTestStore _store = new();

    protected override Task<IWarehouse> OpenWarehouseAsync() => _store.OpenAsync();

    protected override void AfterAll()
    {
        base.AfterAll();
        _store.Dispose();
    }
}
