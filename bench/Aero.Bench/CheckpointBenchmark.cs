using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Aero.Warehouse;
using Aero.Warehouse.BigQuery;
using Aero.Warehouse.DuckDb;
using Spectre.Console;

namespace Aero.Bench;

/// <summary>
/// How long one DuckDB checkpoint of <c>flights_raw</c> takes as the table grows: no commit can happen while it runs,
/// so it bounds the load's worst latency. Tables of each size are filled by DuckDB itself and checkpointed; then
/// a few thousand new rows (about one second of a steady load) are inserted and the next checkpoint is timed: for
/// flights_raw as the warehouse creates it (no key index since issue 16), and for a copy with the event-id key
/// earlier versions had.
/// </summary>
internal static class CheckpointBenchmark
{
    public static Command CreateCommand()
    {
        var sizes = new Option<int[]>("--rows") { Description = "Table sizes to time", DefaultValueFactory = _ => [250_000, 1_000_000, 2_000_000], AllowMultipleArgumentsPerToken = true };
        var fresh = new Option<int>("--new-rows") { Description = "Rows inserted before the timed checkpoint", DefaultValueFactory = _ => 20_000 };
        var command = new Command("checkpoint", "How long a DuckDB checkpoint of flights_raw stalls commits, by table size");
        command.Options.Add(sizes);
        command.Options.Add(fresh);
        command.SetAction(result => Run(result.GetValue(sizes)!, result.GetValue(fresh)));
        return command;
    }

    private static int Run(int[] sizes, int fresh)
    {
        var table = new Table().Border(TableBorder.Markdown).AddColumns("rows in flights_raw", $"checkpoint after {fresh:N0} new rows, with the event-id key of earlier versions", "flights_raw as the warehouse creates it (no key index)");
        var directory = Directory.CreateTempSubdirectory("aero-bench-checkpoint-").FullName;
        try
        {
            foreach (var size in sizes)
            {
                var keyed = TimeCheckpoint(Path.Combine(directory, $"k-{size}.duckdb"), size, fresh, keyed: true);
                var unkeyed = TimeCheckpoint(Path.Combine(directory, $"u-{size}.duckdb"), size, fresh, keyed: false);
                table.AddRow(size.ToString("N0", CultureInfo.InvariantCulture), $"{keyed.TotalMilliseconds:N0} ms", $"{unkeyed.TotalMilliseconds:N0} ms");
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        AnsiConsole.Write(table);
        return 0;
    }

    private static TimeSpan TimeCheckpoint(string path, int size, int fresh, bool keyed)
    {
        // The warehouse creates flights_raw without a key; DuckDB fills it without .NET in the way.
        var warehouse = DuckDbWarehouse.Open(DuckDbSettings.Create().WithPath(path).WithCheckpointThreshold(16L * 1024 * 1024 * 1024));
        try
        {
            var target = keyed ? "flights_keyed" : WarehouseTables.FlightsRaw;
            if (keyed)
            {
                Execute(warehouse, $"CREATE TABLE {target} AS SELECT * FROM {WarehouseTables.FlightsRaw} LIMIT 0");
                Execute(warehouse, $"ALTER TABLE {target} ADD PRIMARY KEY (event_id)");
            }

            Execute(warehouse, Rows(target, 0, size));
            Execute(warehouse, "CHECKPOINT");
            Execute(warehouse, Rows(target, size, fresh));
            var clock = Stopwatch.StartNew();
            Execute(warehouse, "CHECKPOINT");
            return clock.Elapsed;
        }
        finally
        {
            warehouse.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    // Rows shaped like the load's: a 32-hex event id, a vega flight, about 300 bytes of raw JSON.
    private static string Rows(string table, int first, int count) => $$"""
        INSERT INTO {{table}} (event_id, flight_id, "timestamp", origin, destination, scheduled_departure, distance, delay,
                                                  source, source_position, raw, kafka_topic, kafka_partition, kafka_offset, ingested_at)
        SELECT md5(i::VARCHAR), 'LAX-SFO-' || i, TIMESTAMP '2001-01-01' + INTERVAL (i % 500000) MINUTE, 'LAX', 'SFO',
               TIMESTAMP '2001-01-01' + INTERVAL (i % 500000) MINUTE, 150 + i % 2600, i % 90 - 20, 'flights-raw', i,
               '{"event_id":"' || md5(i::VARCHAR) || '","flight_id":"LAX-SFO-' || i || '","origin":"LAX","destination":"SFO","pad":"' || repeat('x', 200) || '"}',
               'flights-raw', i % 24, i // 24, now()::TIMESTAMP
        FROM range({{first}}, {{first + count}}) r(i)
        """;

    private static void Execute(DuckDbWarehouse warehouse, string sql) => warehouse.QueryAsync(sql).GetAwaiter().GetResult();
}
