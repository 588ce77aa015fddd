using Aero.Warehouse.DuckDb;
using DuckDB.NET.Data;

namespace Aero.Warehouse.Tests;

/// <summary>A DuckDB file of its own in the temp directory, deleted at the end.</summary>
public sealed class DuckDbTestStore : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"aero-{Guid.NewGuid():N}.duckdb");

    public Task<IWarehouse> OpenAsync() => Task.FromResult<IWarehouse>(DuckDbWarehouse.Open(DuckDbSettings.Create().WithPath(Path)));

    /// <summary>Opens it with DuckDB's buffer manager at <paramref name="memoryLimitBytes"/>, for a spec's large checking queries.</summary>
    public Task<IWarehouse> OpenAsync(long memoryLimitBytes) =>
        Task.FromResult<IWarehouse>(DuckDbWarehouse.Open(DuckDbSettings.Create().WithPath(Path).WithMemoryLimit(memoryLimitBytes)));

    /// <summary>Creates <c>flights_raw</c> as an older version would have: only <paramref name="columns"/>, holding <paramref name="row"/>.</summary>
    public Task CreateOlderFlightsTableAsync(IReadOnlyList<FlightColumn> columns, LoadRow row)
    {
        using var connection = new DuckDBConnection($"Data Source={Path}");
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = $"CREATE TABLE {WarehouseTables.FlightsRaw} ({DuckDbWarehouse.ColumnDefinitions(columns)}, PRIMARY KEY (event_id))";
            create.ExecuteNonQuery();
        }

        using var insert = connection.CreateCommand();
        insert.CommandText = $"INSERT INTO {WarehouseTables.FlightsRaw} ({string.Join(", ", columns.Select(c => FlightColumns.Quoted(c.Name)))}) " +
            $"VALUES ({string.Join(", ", columns.Select((_, i) => $"${i + 1}"))})";
        foreach (var column in columns)
        {
            insert.Parameters.Add(new DuckDBParameter(column.Value(row, DateTime.UtcNow) ?? DBNull.Value));
        }

        insert.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        File.Delete(Path);
        File.Delete(Path + ".wal");
    }
}
