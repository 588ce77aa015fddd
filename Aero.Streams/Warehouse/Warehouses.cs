using Aero.Streams.Kafka;
using Aero.Streams.Warehouse.BigQuery;
using Aero.Streams.Warehouse.DuckDb;
using Akka.Configuration;

namespace Aero.Streams.Warehouse;

/// <summary>Opens the warehouse that <c>aero.warehouse.kind</c> names, creating its tables when missing.</summary>
public static class Warehouses
{
    public static async Task<IWarehouse> OpenAsync(Config? config = null, CancellationToken cancellationToken = default)
    {
        var warehouse = AeroStreamsConfig.WithDefaults(config).GetConfig("aero.warehouse");
        var kind = warehouse.GetString("kind");
        return kind switch
        {
            "duckdb" => DuckDbWarehouse.Open(warehouse.GetString("duckdb.path")),
            "bigquery" => await BigQueryWarehouse.OpenAsync(BigQuerySettings.Create(config), cancellationToken: cancellationToken),
            _ => throw new ConfigurationException($"aero.warehouse.kind: expected duckdb, postgres or bigquery, got '{kind}'"),
        };
    }
}
