using Aero.Warehouse.Postgres;
using Npgsql;

namespace Aero.Warehouse.Tests;

/// <summary>
/// A schema of its own in the test PostgreSQL (env <c>AERO_TEST_POSTGRES</c>, else the reference connection string),
/// dropped at the end. An unreachable server fails the spec with what to do, never skips it.
/// </summary>
public sealed class PostgresTestStore : IAsyncDisposable
{
    public const string Variable = "AERO_TEST_POSTGRES";

    private PostgresTestStore(PostgresSettings settings) => Settings = settings;

    public PostgresSettings Settings { get; }

    public static async Task<PostgresTestStore> CreateAsync()
    {
        var settings = PostgresSettings.Create();
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } connectionString)
        {
            settings = settings.WithConnectionString(connectionString);
        }

        settings = settings.WithSchema("aero_test_" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            await using var connection = new NpgsqlConnection(settings.ConnectionString);
            await connection.OpenAsync();
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL specs need a server: {settings.RedactedConnectionString} is unreachable ({error.Message}). " +
                $"Run scripts/start-postgres, or point {Variable} at one.",
                error);
        }

        return new PostgresTestStore(settings);
    }

    public async Task<IWarehouse> OpenAsync() => await PostgresWarehouse.OpenAsync(Settings);

    /// <summary>Creates <c>flights_raw</c> as an older version would have: only <paramref name="columns"/>, holding <paramref name="row"/>.</summary>
    public async Task CreateOlderFlightsTableAsync(IReadOnlyList<FlightColumn> columns, LoadRow row)
    {
        await using var connection = new NpgsqlConnection(Settings.ConnectionString);
        await connection.OpenAsync();
        var table = $"{FlightColumns.Quoted(Settings.Schema)}.{WarehouseTables.FlightsRaw}";
        await using (var create = new NpgsqlCommand(
            $"CREATE SCHEMA {FlightColumns.Quoted(Settings.Schema)}; CREATE TABLE {table} ({PostgresWarehouse.ColumnDefinitions(columns)}, PRIMARY KEY (event_id))",
            connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        var names = string.Join(", ", columns.Select(c => FlightColumns.Quoted(c.Name)));
        var placeholders = string.Join(", ", columns.Select((c, i) => c.Type == FlightColumnType.Json ? $"${i + 1}::jsonb" : $"${i + 1}"));
        await using var insert = new NpgsqlCommand($"INSERT INTO {table} ({names}) VALUES ({placeholders})", connection);
        foreach (var column in columns)
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = column.Value(row, DateTime.UtcNow) ?? DBNull.Value });
        }

        await insert.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(Settings.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {FlightColumns.Quoted(Settings.Schema)} CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
