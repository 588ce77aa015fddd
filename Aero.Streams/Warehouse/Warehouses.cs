using Aero.Streams.Kafka;
using Aero.Streams.Warehouse.DuckDb;
using Akka.Configuration;

namespace Aero.Streams.Warehouse;

/// <summary>Opens the warehouse that <c>aero.warehouse.kind</c> names, creating its tables when missing.</summary>
public static class Warehouses
{
    public static Task<IWarehouse> OpenAsync(Config? config = null, CancellationToken cancellationToken = default)
    {
        var warehouse = AeroStreamsConfig.WithDefaults(config).GetConfig("aero.warehouse");
        var kind = warehouse.GetString("kind");
        return kind switch
        {
            "duckdb" => Task.FromResult<IWarehouse>(DuckDbWarehouse.Open(warehouse.GetString("duckdb.path"))),
            _ => throw new ConfigurationException($"aero.warehouse.kind: expected duckdb, postgres or bigquery, got '{kind}'"),
        };
    }
}
