using Aero.Streams.Warehouse;
using Xunit.Abstractions;

namespace Aero.Streams.Tests.Warehouse;

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
