using Aero.Warehouse.Windows;
using Npgsql;
using NpgsqlTypes;

namespace Aero.Warehouse.Postgres;

/// <summary>
/// The windows' side of the PostgreSQL warehouse: a batch's partials (binary COPY) and its partitions' event times go
/// in with its rows and offsets, and the coordinator finalizes holding a lock on the partials that loads' inserts wait
/// for, so a window's partials are either merged or, written after it was final, counted late; never neither.
/// </summary>
public sealed partial class PostgresWarehouse : IWindowStore
{
    private WindowStoreSql? _windows;

    private string WindowPrefix => $"{FlightColumns.Quoted(_settings.Schema)}.";

    private WindowStoreSql Windows => _windows ??= new WindowStoreSql(
        WindowPrefix,
        (later, earlier) => $"CAST(round(extract(epoch FROM ({later} - {earlier})) * 1000) AS bigint)",
        $"LOCK TABLE {WindowPrefix}{WindowTables.Partials} IN SHARE ROW EXCLUSIVE MODE");

    public async Task RegisterPartitionsAsync(string clusterId, string topic, IReadOnlyCollection<int> partitions, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        Windows.RegisterPartitions(connection, clusterId, topic, partitions, DateTime.UtcNow);
    }

    public Task<WindowsOverview> OverviewAsync(int lastFinalized, CancellationToken cancellationToken = default) =>
        ReadAsync(async () =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            return Windows.Overview(connection, lastFinalized);
        });

    public async Task<WindowFinalizing> FinalizeAsync(IReadOnlyList<WindowRange> windows, DateTime watermark, string closedBy, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var finalizing = Windows.Finalize(connection, windows, watermark, closedBy, DateTime.UtcNow);
        await transaction.CommitAsync(cancellationToken);
        return finalizing;
    }

    private async Task CreateWindowTablesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        foreach (var statement in WindowTables.CreateStatements(SqlType, WindowPrefix))
        {
            await ExecuteAsync(connection, statement, cancellationToken);
        }

        // A flights table of an older version gains the newer columns, nullable; ALTER TABLE locks out every writer, so only when one is missing.
        await using var command = new NpgsqlCommand("SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2", connection)
        {
            Parameters = { new() { Value = _settings.Schema }, new() { Value = WarehouseTables.Flights } },
        };
        var existing = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                existing.Add(reader.GetString(0));
            }
        }

        foreach (var column in ProcessedColumns.All.Where(c => !existing.Contains(c.Name)))
        {
            await ExecuteAsync(connection, $"ALTER TABLE {_processed} ADD COLUMN IF NOT EXISTS {FlightColumns.Quoted(column.Name)} {SqlType(column.Type)}", cancellationToken);
        }
    }

    /// <summary>In the batch's transaction: the partials of its rows stored now, and its partitions' event times.</summary>
    private async Task WriteWindowsAsync(NpgsqlConnection connection, LoadBatch batch, IEnumerable<LoadRow> stored, CancellationToken cancellationToken)
    {
        var now = DateTime.UtcNow;
        var partials = WindowBatch.Partials(batch, stored);
        if (partials.Count > 0)
        {
            var names = string.Join(", ", WindowTables.PartialColumns.Select(c => c.Name));
            await using var copy = await connection.BeginBinaryImportAsync($"COPY {WindowPrefix}{WindowTables.Partials} ({names}) FROM STDIN (FORMAT BINARY)", cancellationToken);
            foreach (var partial in partials)
            {
                await copy.StartRowAsync(cancellationToken);
                foreach (var column in WindowTables.PartialColumns)
                {
                    await WriteAsync(copy, column.Type, column.Value(batch.ClusterId, partial, now), cancellationToken);
                }
            }

            await copy.CompleteAsync(cancellationToken);
        }

        Windows.UpsertWatermarks(connection, batch, now);
    }

    private static Task WriteAsync(NpgsqlBinaryImporter copy, FlightColumnType type, object? value, CancellationToken cancellationToken) => value switch
    {
        null => copy.WriteNullAsync(cancellationToken),
        // timestamptz takes UTC only.
        DateTime time => copy.WriteAsync(time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc), NpgsqlDbType.TimestampTz, cancellationToken),
        _ => copy.WriteAsync(value, DbType(type), cancellationToken),
    };
}
