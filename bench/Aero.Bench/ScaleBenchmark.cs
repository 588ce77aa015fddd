using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Aero.Kafka;
using Aero.Kafka.Embedded;
using Aero.Kafka.Settings;
using Aero.Streams.Load;
using Aero.Streams.Transform;
using Aero.Warehouse;
using Aero.Warehouse.DuckDb;
using Aero.Warehouse.Postgres;
using Akka.Actor;
using Akka.Configuration;
using Akka.Streams;
using Spectre.Console;

namespace Aero.Bench;

/// <summary>
/// Whether the load slows as flights_raw grows (issue 16 §1): the table is filled directly by the database to each
/// size, then the load graph writes into it at a steady rate. Per size: produce → committed row (p50, p99, max), the
/// longest single write (a commit stalled by a checkpoint or a lock shows there), and on DuckDB the time of a
/// checkpoint of that phase's rows. The stored rows' event times precede the live ones, as a table's history does.
/// </summary>
internal static class ScaleBenchmark
{
    private const string Schema = "aero_bench_scale";

    public static Command CreateCommand()
    {
        var sizes = new Option<int[]>("--stored") { Description = "Rows stored before each phase", DefaultValueFactory = _ => [1_000_000, 5_000_000, 10_000_000], AllowMultipleArgumentsPerToken = true };
        var backends = new Option<string[]>("--backend") { Description = "duckdb, postgres or both", DefaultValueFactory = _ => ["duckdb", "postgres"], AllowMultipleArgumentsPerToken = true };
        var rate = new Option<int>("--rate") { Description = "Records per second in each phase", DefaultValueFactory = _ => 20_000 };
        var seconds = new Option<int>("--seconds") { Description = "Length of each phase", DefaultValueFactory = _ => 20 };
        var partitions = new Option<int>("--latency-partitions") { Description = "Partitions of each phase's topic", DefaultValueFactory = _ => 8 };
        var config = new Option<string?>("--config") { Description = "HOCON over Aero's reference.conf for the warehouse and the load" };
        var command = new Command("scale", "Produce-to-row latency and commit stalls with 1M, 5M and 10M rows already stored, DuckDB and PostgreSQL");
        foreach (var option in new Option[] { sizes, backends, rate, seconds, partitions, config })
        {
            command.Options.Add(option);
        }

        command.SetAction(result => RunAsync(result.GetValue(sizes)!, result.GetValue(backends)!, result.GetValue(rate), result.GetValue(seconds), result.GetValue(partitions), ConfigurationFactory.ParseString(result.GetValue(config) ?? "")));
        return command;
    }

    private static async Task<int> RunAsync(int[] sizes, string[] backends, int rate, int seconds, int partitions, Config config)
    {
        using var kafka = EmbeddedKafka.Start();
        using var system = ActorSystem.Create("bench", ConfigurationFactory.ParseString("akka.loglevel = WARNING"));
        var materializer = system.Materializer();
        var clusterId = KafkaCluster.GetClusterId(kafka.BootstrapServers, null, TimeSpan.FromSeconds(10));
        var loadSettings = LoadSettings.Create(config);
        var transform = FlightTransform.Create(TransformSettings.Create());
        using var processed = ProcessedFlightsTopic.Create(ProducerSettings.Create().WithBootstrapServers(kafka.BootstrapServers), transform.Settings.Topic);
        var directory = Directory.CreateTempSubdirectory("aero-bench-scale-").FullName;
        var table = new Table().Border(TableBorder.Markdown).AddColumns("warehouse", "rows stored before", "fill s", "p50 ms", "p99 ms", "max ms", "longest write ms", "checkpoint of the phase's rows ms", "rows seen");
        var ok = true;
        AnsiConsole.MarkupLineInterpolated($"{rate:N0} records/s for {seconds} s per phase over {partitions} partitions, {Environment.ProcessorCount} cores; batches of {loadSettings.BatchSize:N0} / {loadSettings.BatchInterval.TotalMilliseconds} ms");
        try
        {
            foreach (var backend in backends)
            {
                var duck = backend == "duckdb";
                await using IWarehouse warehouse = duck
                    ? DuckDbWarehouse.Open(DuckDbSettings.Create(config).WithPath(Path.Combine(directory, "scale.duckdb")))
                    : await OpenPostgresAsync(config);
                var stored = 0;
                foreach (var size in sizes.Order())
                {
                    var fill = Stopwatch.StartNew();
                    await warehouse.QueryAsync(duck ? DuckDbFill(stored, size - stored, sizes.Max()) : PostgresFill(stored, size - stored, sizes.Max()));
                    await warehouse.QueryAsync(duck ? "CHECKPOINT" : $"VACUUM ANALYZE {Schema}.{WarehouseTables.FlightsRaw}");
                    stored = size;
                    var filled = fill.Elapsed;
                    if (duck)
                    {
                        AnsiConsole.MarkupLineInterpolated($"duckdb at {size:N0}: {await LookupMillisecondsAsync(warehouse)}");
                    }

                    var latency = await LatencyPhase.RunAsync(kafka, materializer, clusterId, warehouse, loadSettings, transform, processed, $"scale-{backend}-{size}", partitions, rate, seconds);
                    var checkpoint = Stopwatch.StartNew();
                    if (duck)
                    {
                        await warehouse.QueryAsync("CHECKPOINT");
                    }

                    var (p50, p99, max) = latency.Percentiles();
                    ok &= latency.Count == rate * seconds;
                    table.AddRow(backend, ResultsTable.Count(size), $"{filled.TotalSeconds:N0}", $"{p50:N0}", $"{p99:N0}", $"{max:N0}", $"{latency.LongestWrite:N0}",
                        duck ? $"{checkpoint.Elapsed.TotalMilliseconds:N0}" : "-", ResultsTable.Count(latency.Count));
                    AnsiConsole.MarkupLineInterpolated($"{backend} at {size:N0}: p50 {p50:N0} ms, p99 {p99:N0} ms, max {max:N0} ms, longest write {latency.LongestWrite:N0} ms");
                }

                if (!duck)
                {
                    await warehouse.QueryAsync($"DROP SCHEMA {Schema} CASCADE");
                }
            }
        }
        finally
        {
            await system.Terminate();
            Directory.Delete(directory, recursive: true);
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(ok ? "[green]✓ every phase's rows committed[/]" : "[red]✗ some phase's rows were not all seen[/]");
        return ok ? 0 : 1;
    }

    /// <summary>
    /// The warehouse's lookup of stored events for 2,000 ids (DuckDbWarehouse.StoredEvents' query) over two days past
    /// the stored rows, against the same lookup over the whole table: whether the row groups' time range prunes.
    /// </summary>
    private static async Task<string> LookupMillisecondsAsync(IWarehouse warehouse)
    {
        await warehouse.QueryAsync("CREATE OR REPLACE TEMP TABLE lookup_keys AS SELECT md5('live-' || i) AS event_id FROM range(2000) r(i)");
        var lookup = $"SELECT count(*) FROM {WarehouseTables.FlightsRaw} f SEMI JOIN lookup_keys k ON f.event_id = k.event_id";
        var clock = Stopwatch.StartNew();
        await warehouse.QueryAsync($"{lookup} WHERE f.\"timestamp\" >= TIMESTAMP '2001-01-01' AND f.\"timestamp\" < TIMESTAMP '2001-01-03'");
        var bounded = clock.Elapsed;
        clock.Restart();
        await warehouse.QueryAsync(lookup);
        var whole = clock.Elapsed;
        await warehouse.QueryAsync("DROP TABLE lookup_keys");
        return $"lookup of 2,000 ids within their days {bounded.TotalMilliseconds:N0} ms, over the whole table {whole.TotalMilliseconds:N0} ms";
    }

    private static async Task<IWarehouse> OpenPostgresAsync(Config config)
    {
        var settings = PostgresSettings.Create(config);
        var connection = Environment.GetEnvironmentVariable("AERO_POSTGRES_CONNECTION");
        settings = connection is null ? settings : settings.WithConnectionString(connection);
        await using (var clean = await PostgresWarehouse.OpenAsync(settings.WithSchema(Schema)))
        {
            await clean.QueryAsync($"DROP SCHEMA {Schema} CASCADE");
        }

        return await PostgresWarehouse.OpenAsync(settings.WithSchema(Schema));
    }

    // Rows shaped like the load's (a 32-hex event id, about 300 bytes of raw JSON), one a minute, the last a minute
    // before 2001-01-01, where the live records begin: row i of a table of `total` is stored in time order.
    private static string DuckDbFill(int first, int count, int total) => $$"""
        INSERT INTO {{WarehouseTables.FlightsRaw}} (event_id, flight_id, "timestamp", origin, destination, scheduled_departure, distance, delay,
                                                  source, source_position, raw, kafka_topic, kafka_partition, kafka_offset, ingested_at)
        SELECT md5('stored-' || i), 'LAX-SFO-' || i, TIMESTAMP '2001-01-01' - INTERVAL ({{total}} - i) MINUTE, 'LAX', 'SFO',
               TIMESTAMP '2001-01-01' - INTERVAL ({{total}} - i) MINUTE, 150 + i % 2600, i % 90 - 20, 'stored', i,
               '{"event_id":"' || md5('stored-' || i) || '","flight_id":"LAX-SFO-' || i || '","origin":"LAX","destination":"SFO","pad":"' || repeat('x', 200) || '"}',
               'stored', i % 24, i // 24, now()::TIMESTAMP
        FROM range({{first}}, {{first + count}}) r(i)
        """;

    private static string PostgresFill(int first, int count, int total) => string.Create(CultureInfo.InvariantCulture, $$"""
        INSERT INTO {{Schema}}.{{WarehouseTables.FlightsRaw}} (event_id, flight_id, "timestamp", origin, destination, scheduled_departure, distance, delay,
                                                  source, source_position, raw, kafka_topic, kafka_partition, kafka_offset, ingested_at)
        SELECT md5('stored-' || i), 'LAX-SFO-' || i, timestamptz '2001-01-01 00:00Z' - make_interval(mins => {{total}} - i), 'LAX', 'SFO',
               timestamptz '2001-01-01 00:00Z' - make_interval(mins => {{total}} - i), 150 + i % 2600, i % 90 - 20, 'stored', i,
               ('{"event_id":"' || md5('stored-' || i) || '","flight_id":"LAX-SFO-' || i || '","origin":"LAX","destination":"SFO","pad":"' || repeat('x', 200) || '"}')::jsonb,
               'stored', i % 24, i / 24, now()
        FROM generate_series({{first}}, {{first + count - 1}}) i
        """);
}
