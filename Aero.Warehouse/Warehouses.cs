using Aero.Warehouse.BigQuery;
using Aero.Warehouse.DuckDb;
using Aero.Warehouse.Postgres;
using Akka.Configuration;

namespace Aero.Warehouse;

/// <summary>Opens the warehouse that <c>aero.warehouse.kind</c> names, creating its tables when missing.</summary>
public static class Warehouses
{
    public static async Task<IWarehouse> OpenAsync(Config? config = null, CancellationToken cancellationToken = default)
    {
        config = AeroWarehouseConfig.WithDefaults(config);
        var warehouse = config.GetConfig("aero.warehouse");
        var kind = warehouse.GetString("kind");
        return kind switch
        {
            "duckdb" => DuckDbWarehouse.Open(DuckDbSettings.Create(config)),
            "postgres" => await PostgresWarehouse.OpenAsync(PostgresSettings.Create(config), cancellationToken),
            "bigquery" => await BigQueryWarehouse.OpenAsync(BigQuerySettings.Create(config), cancellationToken: cancellationToken),
            _ => throw new ConfigurationException($"aero.warehouse.kind: expected duckdb, postgres or bigquery, got '{kind}'"),
        };
    }
}
