using Aero.Warehouse;
using Aero.Warehouse.BigQuery;
using Aero.Warehouse.Tests.BigQuery;
using Xunit.Abstractions;

namespace Aero.Streams.Tests.Load.BigQuery;

/// <summary>The load graph on the embedded Kafka into the fake BigQuery, in streaming mode.</summary>
public sealed class BigQueryStreamingWarehouseLoadSpec(ITestOutputHelper output) : WarehouseLoadSpec(output)
{
    private readonly FakeBigQueryStore _store = new(BigQueryWriteMode.Streaming);

    protected override Task<IWarehouse> OpenWarehouseAsync() => _store.OpenAsync();

    protected override void AfterAll()
    {
        base.AfterAll();
        _store.Dispose();
    }
}
