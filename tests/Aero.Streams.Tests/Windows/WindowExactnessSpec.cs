using System.Globalization;
using System.Text;
using System.Text.Json;
using Aero.Flights;
using Aero.Kafka;
using Aero.Kafka.Tests;
using Aero.Streams.Extract;
using Aero.Streams.Load;
using Aero.Streams.Tests.Load;
using Aero.Streams.Windows;
using Aero.Warehouse;
using Aero.Warehouse.BigQuery;
using Aero.Warehouse.Tests;
using Aero.Warehouse.Tests.BigQuery;
using Aero.Warehouse.Windows;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Streams.Tests.Windows;

/// <summary>
/// Issue 17 §4: 200,000 real flights (flights-3m.parquet) through the embedded Kafka over 8 partitions into DuckDB; the
/// windows' partials ride the load's transactions, and once finalized, <c>flight_window_stats</c> equals a GROUP BY that
/// DuckDB computes on its own over the stored flights, row for row. The same on the fake BigQuery (streaming, 40,000
/// flights: the fake checks every request against BigQuery's API), whose partials count by their batch rows; there the
/// GROUP BY runs in the fake's DuckDB over <c>flights_dedup</c>.
/// </summary>
public sealed class WindowExactnessSpec : KafkaSpecBase
{
    private const int Partitions = 8;
    private readonly DuckDbTestStore _store = new();
    private readonly FakeBigQueryStore _bigQuery = new(BigQueryWriteMode.Streaming);
    private readonly ITestOutputHelper _output;

    public WindowExactnessSpec(ITestOutputHelper output)
        : base(output) => _output = output;

    public static string RealFlights => Path.Combine(RepositoryRoot(), "data", "full", "flights-3m.parquet");

    [Theory]
    [InlineData("duckdb", "tumbling", 60, 60)]
    [InlineData("duckdb", "hopping", 60, 10)]
    [InlineData("bigquery", "hopping", 60, 10)]
    public async Task Finalized_windows_should_equal_an_independent_group_by_over_the_same_records(string backend, string kind, int sizeMinutes, int slideMinutes)
    {
        _output.WriteLine($"{kind} windows of {sizeMinutes} min every {slideMinutes} min on {backend}");
        var windows = new LoadWindows(WindowSettings.Create() with { Spec = WindowSpec.Hopping(TimeSpan.FromMinutes(sizeMinutes), TimeSpan.FromMinutes(slideMinutes)) });
        var bigQuery = backend == "bigquery";
        var flights = bigQuery ? 20_000 : 200_000;
        var records = await ReadRealFlightsAsync(flights);
        Kafka.CreateTopic(Topic, Partitions);
        var clusterId = KafkaCluster.GetClusterId(Kafka.BootstrapServers, null, TimeSpan.FromSeconds(10));
        // The check's GROUP BY over every window of 200,000 flights is a large query: more than the 256 MiB of
        // DuckDB's buffer manager the load runs with by default (aero.warehouse.duckdb.memory-limit).
        await using var warehouse = bigQuery ? await _bigQuery.OpenAsync() : await _store.OpenAsync(memoryLimitBytes: 2L * 1024 * 1024 * 1024);

        await LoadWhileProducingAsync(warehouse, clusterId, records, windows);
        Assert.Equal(flights, await warehouse.CountAsync(WarehouseTables.Flights));
        var store = (IWindowStore)warehouse;
        var overview = await store.OverviewAsync(0);
        Assert.Equal(Partitions, overview.Partitions.Count(p => p.Topic == Topic && p.MaxEventTime is not null));
        var finishing = await new WindowFinalizer(store, windows.Settings, Topic, int.MaxValue).FinishInputAsync();
        Assert.Equal(overview.Open.Count, finishing.Finalized.Count);
        Assert.Equal(0, finishing.LateRecords);

        var expected = IndependentGroupBy(windows.Settings, bigQuery ? BigQueryWarehouse.FlightsView : WarehouseTables.Flights);
        var actual = $"""
            SELECT epoch_ms(window_start) AS ws, dimension, window_key, flights, departure_delay_count, departure_delay_sum_ms,
              departure_delay_min_ms, departure_delay_max_ms, arrival_delay_count, arrival_delay_sum_ms, arrival_delay_min_ms,
              arrival_delay_max_ms, on_time, minor, moderate, major
            FROM {WindowTables.Stats}
            """;
        Assert.Equal(0L, await ScalarAsync(warehouse, $"SELECT count(*) FROM (({expected}) EXCEPT ALL ({actual}))"));
        Assert.Equal(0L, await ScalarAsync(warehouse, $"SELECT count(*) FROM (({actual}) EXCEPT ALL ({expected}))"));
        var rows = await ScalarAsync(warehouse, $"SELECT count(*) FROM {WindowTables.Stats}");
        Assert.True(rows > flights / 20, $"{rows} window rows");
        // Every record is counted once per window it falls in, under each dimension.
        Assert.Equal((long)flights * (sizeMinutes / slideMinutes), await ScalarAsync(warehouse, $"SELECT CAST(sum(flights) AS BIGINT) FROM {WindowTables.Stats} WHERE dimension = 'origin'"));
        // The averages are derived from the exact sums.
        Assert.Equal(0L, await ScalarAsync(warehouse, $"""
            SELECT count(*) FROM {WindowTables.Stats}
            WHERE abs(avg_departure_delay_minutes - departure_delay_sum_ms / 60000.0 / departure_delay_count) > 1e-9
            """));
        _output.WriteLine($"{rows} rows in {WindowTables.Stats}, {finishing.Finalized.Count} windows");
    }

    /// <summary>The windows and aggregates, computed by DuckDB alone from the flights table (no partials, no .NET).</summary>
    private static string IndependentGroupBy(WindowSettings settings, string flights)
    {
        var slide = settings.Spec.SlideMilliseconds.ToString(CultureInfo.InvariantCulture);
        var count = settings.Spec.WindowsPerRecord.ToString(CultureInfo.InvariantCulture);
        string Keyed(string dimension, string key) =>
            $"SELECT ws, '{dimension}' AS dimension, {key} AS window_key, dep, arr, delay_category FROM w";
        return $"""
            WITH f AS (
              SELECT epoch_ms(coalesce(scheduled_departure, event_time)) AS t, airline, origin, destination, route, delay_category,
                CAST(round(departure_delay_minutes * 60000) AS BIGINT) AS dep, CAST(round(arrival_delay_minutes * 60000) AS BIGINT) AS arr
              FROM {flights}),
            w AS (SELECT t - (((t % {slide}) + {slide}) % {slide}) - (k * {slide}) AS ws, * FROM f CROSS JOIN range(0, {count}) r(k)),
            keyed AS (
              {Keyed("all", "'all'")} UNION ALL {Keyed("airline", "coalesce(airline, '?')")} UNION ALL {Keyed("origin", "coalesce(origin, '?')")}
              UNION ALL {Keyed("destination", "coalesce(destination, '?')")} UNION ALL {Keyed("route", "route")}
              UNION ALL {Keyed("delay-category", "coalesce(delay_category, '?')")})
            SELECT ws, dimension, window_key, count(*), count(dep), coalesce(sum(dep), 0), min(dep), max(dep),
              count(arr), coalesce(sum(arr), 0), min(arr), max(arr),
              count(*) FILTER (WHERE delay_category = 'On-Time'), count(*) FILTER (WHERE delay_category = 'Minor'),
              count(*) FILTER (WHERE delay_category = 'Moderate'), count(*) FILTER (WHERE delay_category = 'Major')
            FROM keyed GROUP BY ws, dimension, window_key
            """;
    }

    private static async Task<long> ScalarAsync(IWarehouse warehouse, string sql) =>
        Convert.ToInt64((await warehouse.QueryAsync(sql)).Rows.Single().Single(), CultureInfo.InvariantCulture);

    /// <summary>The first flights of the file, in file order.</summary>
    private async Task<IReadOnlyList<FlightRecord>> ReadRealFlightsAsync(int flights)
    {
        Assert.True(File.Exists(RealFlights), $"{RealFlights} is missing: run scripts/fetch-data");
        var records = await FlightFileSource.Create(RealFlights).Where(r => !r.IsRejected).Take(flights).RunWith(Sink.Seq<ExtractedRecord>(), Materializer);
        Assert.Equal(flights, records.Count);
        return [.. records.Select(r => r.Flight!)];
    }

    /// <summary>
    /// Produces the flights round robin over the partitions in chunks while the load runs, each chunk only once the
    /// load has stored the one before: the embedded Kafka keeps about 5 MiB per partition and drops older records.
    /// </summary>
    private async Task LoadWhileProducingAsync(IWarehouse warehouse, string clusterId, IReadOnlyList<FlightRecord> flights, LoadWindows windows)
    {
        const int Chunk = 16_000;
        var reached = new System.Collections.Concurrent.ConcurrentDictionary<int, long>();
        using var processed = LoadSpecs.ProcessedTopic(ProducerSettings, Topic);
        var control = WarehouseLoad.Create(
                ConsumerSettings, CommitterSettings, LoadSettings.Create(), Topic, clusterId, warehouse, LoadSpecs.Transform, processed,
                batch =>
                {
                    foreach (var ((_, partition), next) in batch.NextOffsets)
                    {
                        reached[partition] = next;
                    }
                },
                windows)
            .Run(Materializer);
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = Kafka.BootstrapServers, LingerMs = 20 }).Build();
        var previous = new Dictionary<int, long>();
        for (var first = 0; first < flights.Count; first += Chunk)
        {
            var stored = previous;
            await AwaitConditionAsync(
                () => Task.FromResult(stored.All(end => reached.GetValueOrDefault(end.Key) >= end.Value) || control.StreamCompletion.IsCompleted),
                TimeSpan.FromMinutes(2));
            for (var i = first; i < Math.Min(first + Chunk, flights.Count); i++)
            {
                producer.Produce(new TopicPartition(Topic, i % Partitions), new Message<byte[], byte[]>
                {
                    Key = Encoding.UTF8.GetBytes(flights[i].FlightId),
                    Value = JsonSerializer.SerializeToUtf8Bytes(flights[i], FlightJsonContext.Default.FlightRecord),
                });
            }

            producer.Flush(TimeSpan.FromSeconds(60));
            previous = LogEnd(Partitions);
        }

        await AwaitConditionAsync(
            () => Task.FromResult(previous.All(end => reached.GetValueOrDefault(end.Key) >= end.Value) || control.StreamCompletion.IsCompleted),
            TimeSpan.FromMinutes(2));
        Assert.False(control.StreamCompletion.IsCompleted, $"the load stopped: {control.StreamCompletion.Exception}");
        await control.DrainAndShutdownAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(previous.Values.Sum(), flights.Count);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Aero.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("Aero.sln not found above " + AppContext.BaseDirectory);
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        _store.Dispose();
        _bigQuery.Dispose();
    }
}
