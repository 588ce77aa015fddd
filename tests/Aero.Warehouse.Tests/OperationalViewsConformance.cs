using System.Globalization;
using Aero.Warehouse.Views;
using Xunit;

namespace Aero.Warehouse.Tests;

/// <summary>
/// Issue 19 §1 (views over the window stats and the jobs' tables): they say what direct SQL over those tables says, on
/// each backend (DuckDB, PostgreSQL, and BigQuery through the fake).
/// </summary>
public abstract class OperationalViewsConformance
{
    protected abstract Task<IWarehouse> OpenAsync();

    /// <summary>Writes the spec's rows; a backend without multi-table transactions runs the statements one by one.</summary>
    protected virtual async Task ExecuteAsync(IWarehouse warehouse, IReadOnlyList<TransactionStatement> statements) =>
        await ((IWarehouseTransactions)warehouse).ExecuteInTransactionAsync(statements);

    [Fact]
    public async Task Window_stats_over_time_should_agree_with_direct_sql_over_the_window_tables()
    {
        await using var warehouse = await OpenAsync();
        const string Columns = "window_id, window_start, window_end, dimension, window_key, flights, departure_delay_count, departure_delay_sum_ms, "
            + "arrival_delay_count, arrival_delay_sum_ms, on_time, minor, moderate, major, avg_departure_delay_minutes, avg_arrival_delay_minutes, on_time_share, finalized_at";
        await ExecuteAsync(
            warehouse,
        [
            new($"""
                INSERT INTO flight_window_stats ({Columns}) VALUES
                ('w1', TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 01:00:00', 'all', 'all', 10, 8, 4800000, 7, 2100000, 5, 2, 1, 0, 10.0, 5.0, 0.625, TIMESTAMP '2024-01-01 02:00:00'),
                ('w1', TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 01:00:00', 'airline', 'AA', 6, 5, 3000000, 4, 1200000, 3, 1, 1, 0, 10.0, 5.0, 0.6, TIMESTAMP '2024-01-01 02:00:00'),
                ('w2', TIMESTAMP '2024-01-01 01:00:00', TIMESTAMP '2024-01-01 02:00:00', 'all', 'all', 4, 4, 0, 4, 0, 4, 0, 0, 0, 0.0, 0.0, 1.0, TIMESTAMP '2024-01-01 03:00:00')
                """),
            new("""
                INSERT INTO flight_window_late (window_id, window_start, window_end, dimension, window_key, cluster_id, topic, kafka_partition, first_offset, last_offset, flights, late_by_ms, recorded_at) VALUES
                ('w1', TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 01:00:00', 'all', 'all', 'c', 't', 0, 5, 6, 2, 1000, TIMESTAMP '2024-01-01 04:00:00'),
                ('w1', TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 01:00:00', 'all', 'all', 'c', 't', 1, 9, 9, 1, 2000, TIMESTAMP '2024-01-01 04:00:00'),
                ('w1', TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 01:00:00', 'airline', 'AA', 'c', 't', 0, 5, 6, 2, 1000, TIMESTAMP '2024-01-01 04:00:00')
                """),
        ]);

        var view = await warehouse.QueryAsync($"SELECT * FROM {WarehouseViews.WindowStatsOverTime} ORDER BY window_start");
        var direct = await warehouse.QueryAsync("""
            SELECT s.window_id, s.flights, s.departure_delay_count, s.on_time, s.on_time_share,
              (SELECT count(*) FROM flight_window_late l WHERE l.window_id = s.window_id AND l.dimension = 'all') AS late_rows,
              s.avg_departure_delay_minutes
            FROM flight_window_stats s WHERE s.dimension = 'all' ORDER BY s.window_start
            """);

        Assert.Equal(WarehouseViews.Get(WarehouseViews.WindowStatsOverTime).Fields.Select(f => f.Name), view.Columns.Select(c => c.Name));
        Assert.Equal(2, view.Rows.Count);
        Assert.Equal(direct.Rows.Select(r => (string)r[0]!), view.Rows.Select(r => (string)r[0]!));
        for (var i = 0; i < view.Rows.Count; i++)
        {
            Assert.Equal(Long(direct.Rows[i][1]), Long(view.Rows[i][3]));
            Assert.Equal(Long(direct.Rows[i][2]), Long(view.Rows[i][4]));
            Assert.Equal(Long(direct.Rows[i][3]), Long(view.Rows[i][5]));
            Assert.Equal(Double(direct.Rows[i][6]), Double(view.Rows[i][6]), 9);
            Assert.Equal(Double(direct.Rows[i][4]), Double(view.Rows[i][8]), 9);
        }

        // Late flights: the all dimension's, summed per window (w1: 2 + 1; w2: none).
        Assert.Equal([3L, 0L], view.Rows.Select(r => Long(r[9])));
    }

    [Fact]
    public async Task Job_runs_summary_should_agree_with_direct_sql_over_the_run_history()
    {
        await using var warehouse = await OpenAsync();
        await ExecuteAsync(
            warehouse,
        [
            new($"""
                INSERT INTO {JobRunsTable.Name} (run_id, job, period, due, engine, state, attempt, ended_at, rows_written) VALUES
                ('a@1', 'a', 'all', '2024-01-01T01:00:00Z', 'duckdb', 'succeeded', 1, '2024-01-01T01:00:05Z', 10),
                ('a@2', 'a', 'all', '2024-01-01T02:00:00Z', 'duckdb', 'succeeded', 2, '2024-01-01T02:00:07Z', 12),
                ('a@3', 'a', 'all', '2024-01-01T03:00:00Z', 'duckdb', 'failed', 4, '2024-01-01T03:09:00Z', NULL),
                ('b@1', 'b', 'all', '2024-01-01T01:00:00Z', 'duckdb', 'running', 1, NULL, NULL),
                ('b@2', 'b', 'all', '2024-01-01T02:00:00Z', 'duckdb', 'cancelled', 1, '2024-01-01T02:01:00Z', NULL)
                """),
        ]);

        var view = await warehouse.QueryAsync($"SELECT job, runs, succeeded_runs, failed_runs, cancelled_runs, open_runs, rows_written, last_due, last_succeeded_at FROM {WarehouseViews.JobRunsSummary} ORDER BY job");
        var direct = await warehouse.QueryAsync($"""
            SELECT job, count(*), count(CASE WHEN state = 'succeeded' THEN 1 END), count(CASE WHEN state = 'failed' THEN 1 END),
              count(CASE WHEN state = 'cancelled' THEN 1 END), count(CASE WHEN state IN ('running', 'retrying') THEN 1 END),
              CAST(coalesce(sum(CASE WHEN state = 'succeeded' THEN rows_written END), 0) AS BIGINT), max(due), max(CASE WHEN state = 'succeeded' THEN ended_at END)
            FROM {JobRunsTable.Name} GROUP BY job ORDER BY job
            """);

        Assert.Equal(2, view.Rows.Count);
        for (var i = 0; i < view.Rows.Count; i++)
        {
            Assert.Equal(direct.Rows[i][0], view.Rows[i][0]);
            for (var column = 1; column <= 6; column++)
            {
                Assert.Equal(Long(direct.Rows[i][column]), Long(view.Rows[i][column]));
            }

            Assert.Equal(direct.Rows[i][7], view.Rows[i][7]);
            Assert.Equal(direct.Rows[i][8], view.Rows[i][8]);
        }

        Assert.Equal([3L, 2L, 1L, 0L, 0L, 22L], view.Rows[0].Skip(1).Take(6).Select(Long));
        Assert.Equal([2L, 0L, 0L, 1L, 1L, 0L], view.Rows[1].Skip(1).Take(6).Select(Long));
    }

    private static long Long(object? value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);

    private static double Double(object? value) => Convert.ToDouble(value, CultureInfo.InvariantCulture);
}
