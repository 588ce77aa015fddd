using System.Data.Common;
using System.Globalization;

namespace Aero.Warehouse.Windows;

/// <summary>
/// The windows' SQL that DuckDB and PostgreSQL share, over any ADO.NET connection, run synchronously (DuckDB's client
/// is). Each backend supplies its table prefix, how it counts milliseconds between two timestamps, and the lock that
/// keeps loads from adding partials while a window is being finalized (DuckDB's writer gate does that itself).
/// </summary>
internal sealed class WindowStoreSql(string prefix, Func<string, string, string> millisecondsBetween, string? lockPartials)
{
    public void RegisterPartitions(DbConnection connection, string clusterId, string topic, IReadOnlyCollection<int> partitions, DateTime now)
    {
        foreach (var partition in partitions.Order())
        {
            Execute(
                connection,
                $"""
                INSERT INTO {prefix}{WindowTables.Watermarks} (cluster_id, topic, kafka_partition, max_event_time, updated_at) VALUES ($1, $2, $3, NULL, $4)
                ON CONFLICT (cluster_id, topic, kafka_partition) DO UPDATE SET updated_at = excluded.updated_at
                """,
                clusterId, topic, partition, Utc(now));
        }
    }

    /// <summary>
    /// Each partition of the batch gets its highest event time (only ever forward) and counts as touched now; in one
    /// order, so two writers of shared partitions (during a rebalance) cannot deadlock.
    /// </summary>
    public void UpsertWatermarks(DbConnection connection, LoadBatch batch, DateTime now)
    {
        if (batch.Windows is null)
        {
            return;
        }

        var max = WindowBatch.MaxEventTimes(batch);
        var table = prefix + WindowTables.Watermarks;
        foreach (var key in batch.NextOffsets.Keys.OrderBy(k => k.Topic, StringComparer.Ordinal).ThenBy(k => k.Partition))
        {
            Execute(
                connection,
                $"""
                INSERT INTO {table} (cluster_id, topic, kafka_partition, max_event_time, updated_at) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (cluster_id, topic, kafka_partition) DO UPDATE SET
                  max_event_time = CASE WHEN {table}.max_event_time IS NULL OR excluded.max_event_time > {table}.max_event_time
                    THEN excluded.max_event_time ELSE {table}.max_event_time END,
                  updated_at = excluded.updated_at
                """,
                batch.ClusterId, key.Topic, key.Partition, max.TryGetValue(key, out var time) ? Utc(time) : null, Utc(now));
        }
    }

    public WindowsOverview Overview(DbConnection connection, int lastFinalized)
    {
        var open = Read(connection, WindowTables.OpenSelect(prefix), r => new WindowRange(r.GetString(0), Time(r, 1), Time(r, 2)));
        var partitions = Read(
            connection,
            WindowTables.PartitionsSelect(prefix),
            r => new PartitionEventTime(r.GetString(0), r.GetString(1), r.GetInt32(2), r.IsDBNull(3) ? null : Time(r, 3), Time(r, 4), r.IsDBNull(5) ? null : r.GetInt64(5)));
        var last = Read(connection, WindowTables.FinalSelect(prefix, "1 = 1", $"LIMIT {lastFinalized.ToString(CultureInfo.InvariantCulture)}"), Finalized);
        var late = Scalar(connection, WindowTables.LateCountSelect(prefix, "1 = 1"));
        var pending = Scalar(connection, $"SELECT count(*) FROM {prefix}{WindowTables.Partials} WHERE window_id IN (SELECT window_id FROM {prefix}{WindowTables.Final})");
        return new WindowsOverview(open, partitions, last, late, pending);
    }

    /// <summary>In the caller's transaction: see <see cref="IWindowStore.FinalizeAsync"/>.</summary>
    public WindowFinalizing Finalize(DbConnection connection, IReadOnlyList<WindowRange> windows, DateTime watermark, string closedBy, DateTime now)
    {
        if (lockPartials is not null)
        {
            Execute(connection, lockPartials);
        }

        var finalizing = Guid.NewGuid().ToString("N");
        foreach (var chunk in windows.Chunk(500))
        {
            Execute(
                connection,
                $"""
                INSERT INTO {prefix}{WindowTables.Final} (window_id, window_start, window_end, watermark, finalized_at, closed_by, finalizing)
                VALUES {string.Join(", ", chunk.Select((_, i) => $"(${(3 * i) + 5}, ${(3 * i) + 6}, ${(3 * i) + 7}, $1, $2, $3, $4)"))}
                ON CONFLICT (window_id) DO NOTHING
                """,
                [Utc(watermark), Utc(now), closedBy, finalizing, .. chunk.SelectMany(w => new object?[] { w.WindowId, Utc(w.Start), Utc(w.End) })]);
        }

        var partials = prefix + WindowTables.Partials;
        var final = prefix + WindowTables.Final;
        Execute(
            connection,
            $"INSERT INTO {prefix}{WindowTables.Stats} " +
            WindowTables.MergedSelect($"{partials} WHERE window_id IN (SELECT window_id FROM {final} WHERE finalizing = $1)", "$2"),
            finalizing, Utc(now));
        var lateBefore = Scalar(connection, WindowTables.LateCountSelect(prefix, "recorded_at = $1"), Utc(now));
        Execute(
            connection,
            $"INSERT INTO {prefix}{WindowTables.Late} " +
            WindowTables.LateSelect(partials, $"(SELECT * FROM {final} WHERE finalizing <> $1)", millisecondsBetween("f.watermark", "p.min_event_time"), "$2"),
            finalizing, Utc(now));
        var late = Scalar(connection, WindowTables.LateCountSelect(prefix, "recorded_at = $1"), Utc(now)) - lateBefore;
        Execute(connection, $"DELETE FROM {partials} WHERE window_id IN (SELECT window_id FROM {final})");
        var finalized = Read(connection, WindowTables.FinalSelect(prefix, "f.finalizing = $1"), Finalized, finalizing);
        return new WindowFinalizing(finalized, late);
    }

    private static FinalizedWindow Finalized(DbDataReader r) =>
        new(new WindowRange(r.GetString(0), Time(r, 1), Time(r, 2)), Time(r, 3), Time(r, 4), r.GetString(5), Convert.ToInt64(r.GetValue(6), CultureInfo.InvariantCulture));

    private static DateTime Time(DbDataReader reader, int ordinal) => DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc);

    private static DateTime Utc(DateTime time) => time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc);

    private static List<T> Read<T>(DbConnection connection, string sql, Func<DbDataReader, T> map, params object?[] values)
    {
        using var command = Command(connection, sql, values);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    private static long Scalar(DbConnection connection, string sql, params object?[] values)
    {
        using var command = Command(connection, sql, values);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void Execute(DbConnection connection, string sql, params object?[] values)
    {
        using var command = Command(connection, sql, values);
        command.ExecuteNonQuery();
    }

    private static DbCommand Command(DbConnection connection, string sql, object?[] values)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var value in values)
        {
            var parameter = command.CreateParameter();
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
