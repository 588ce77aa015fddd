using System.Globalization;
using System.Numerics;
using Aero.Flights;
using Aero.Kafka.Messages;
using Aero.Streams.Tests.Load;
using Aero.Streams.Windows;
using Aero.Warehouse;
using Aero.Warehouse.BigQuery;
using Aero.Warehouse.Tests;
using Aero.Warehouse.Tests.BigQuery;
using Aero.Warehouse.Windows;
using Xunit;

namespace Aero.Streams.Tests.Windows;

/// <summary>
/// A warehouse (DuckDB, PostgreSQL, or the fake BigQuery streaming or loading) that batches are written to directly, flights placed by their scheduled departure
/// in minutes after <see cref="Origin"/>, so a spec can say exactly which record comes when, on which partition.
/// </summary>
internal sealed class WindowScenario : IAsyncDisposable
{
    public const string Topic = "window-scenario";
    public const string ClusterId = "scenario-cluster";
    public static readonly DateTime Origin = new(2024, 3, 3, 0, 0, 0, DateTimeKind.Utc);

    private readonly DuckDbTestStore? _duckDb;
    private readonly PostgresTestStore? _postgres;
    private readonly FakeBigQueryStore? _bigQuery;
    private readonly Dictionary<int, long> _nextOffsets = [];
    private readonly Dictionary<int, long> _unloaded = [];

    private WindowScenario(IWarehouse warehouse, WindowSettings settings, DuckDbTestStore? duckDb, PostgresTestStore? postgres, FakeBigQueryStore? bigQuery = null)
    {
        Warehouse = warehouse;
        Windows = new LoadWindows(settings);
        _duckDb = duckDb;
        _postgres = postgres;
        _bigQuery = bigQuery;
    }

    public IWarehouse Warehouse { get; }

    public LoadWindows Windows { get; }

    public IWindowStore Store => (IWindowStore)Warehouse;

    /// <summary>The topic's logs in Kafka as this scenario has them: every record written, plus those only produced.</summary>
    public IPartitionLogs Logs => new ScenarioLogs(this);

    public static async Task<WindowScenario> OpenAsync(string backend, WindowSettings settings)
    {
        if (backend == "duckdb")
        {
            var store = new DuckDbTestStore();
            return new WindowScenario(await store.OpenAsync(), settings, store, null);
        }

        if (backend.StartsWith("bigquery", StringComparison.Ordinal))
        {
            var fake = new FakeBigQueryStore(backend == "bigquery-load" ? BigQueryWriteMode.Load : BigQueryWriteMode.Streaming);
            return new WindowScenario(await fake.OpenAsync(), settings, null, null, fake);
        }

        var postgres = await PostgresTestStore.CreateAsync();
        return new WindowScenario(await postgres.OpenAsync(), settings, null, postgres);
    }

    public static DateTime At(int minutes) => Origin.AddMinutes(minutes);

    public WindowFinalizer Finalizer(int maxOpenWindows = int.MaxValue) => new(Store, Windows.Settings, Topic, maxOpenWindows);

    /// <summary>One load transaction: per partition, flights at these minutes, in this order.</summary>
    public async Task WriteAsync(params (int Partition, int[] Minutes)[] partitions)
    {
        var rows = new List<LoadRow>();
        foreach (var (partition, minutes) in partitions)
        {
            foreach (var minute in minutes)
            {
                var offset = _nextOffsets.GetValueOrDefault(partition);
                _unloaded[partition] = Math.Max(0, _unloaded.GetValueOrDefault(partition) - 1);
                _nextOffsets[partition] = offset + 1;
                var flight = new FlightRecord
                {
                    EventId = $"p{partition}-o{offset.ToString(CultureInfo.InvariantCulture)}",
                    FlightId = "AA" + offset.ToString(CultureInfo.InvariantCulture),
                    Timestamp = At(minute),
                    ScheduledDeparture = At(minute),
                    Airline = "AA",
                    Origin = partition % 2 == 0 ? "JFK" : "BOS",
                    Destination = "LAX",
                    Delay = minute % 20,
                    Source = "spec",
                };
                Assert.True(LoadSpecs.Transform.TryTransform(flight, At(minute), out var processed, out var reason), reason);
                rows.Add(new LoadRow(flight, "{}", new KafkaPosition(Topic, partition, offset, At(minute)), processed));
            }
        }

        var next = partitions.Where(p => p.Minutes.Length > 0).ToDictionary(p => (Topic, p.Partition), p => _nextOffsets[p.Partition]);
        await Warehouse.WriteAsync(new LoadBatch(ClusterId, rows, [], next) { Windows = Windows });
    }

    /// <summary>The next batch of <paramref name="partition"/> starts at <paramref name="offset"/> again, as a load replaying from its stored offset does.</summary>
    public void Rewind(int partition, long offset) => _nextOffsets[partition] = offset;

    /// <summary>Records reach the partition's log in Kafka that no load has stored (yet): the partition is behind its log end.</summary>
    public void Produce(int partition, int records) => _unloaded[partition] = _unloaded.GetValueOrDefault(partition) + records;

    /// <summary>What <c>flight_window_stats</c> holds for one window under the "all" key: its flight count, or 0.</summary>
    public Task<long> StatsFlightsAsync(int startMinute) =>
        ScalarAsync($"SELECT coalesce(sum(flights), 0) FROM {WindowTables.Stats} WHERE dimension = 'all' AND window_start = {Timestamp(startMinute)}");

    /// <summary>The rows of <c>flight_window_late</c> under the "all" key: window start (minutes), partition, flights, late by (minutes).</summary>
    public async Task<IReadOnlyList<(long Start, int Partition, long Flights, long LateByMinutes)>> LateAsync()
    {
        var result = await Warehouse.QueryAsync($"""
            SELECT window_start, kafka_partition, flights, late_by_ms
            FROM {WindowTables.Late} WHERE dimension = 'all' ORDER BY 1, 2
            """);
        return [.. result.Rows.Select(r => (
            (long)(DateTime.SpecifyKind((DateTime)r[0]!, DateTimeKind.Utc) - Origin).TotalMinutes,
            Convert.ToInt32(r[1], CultureInfo.InvariantCulture),
            Convert.ToInt64(r[2], CultureInfo.InvariantCulture),
            Convert.ToInt64(r[3], CultureInfo.InvariantCulture) / 60_000))];
    }

    /// <summary>One integer; DuckDB sums BIGINTs into a HUGEINT, which arrives as a <see cref="BigInteger"/>.</summary>
    public async Task<long> ScalarAsync(string sql) =>
        (await Warehouse.QueryAsync(sql)).Rows.Single().Single() switch
        {
            BigInteger huge => (long)huge,
            var value => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        };

    private static string Timestamp(int minutes) => $"TIMESTAMP '{At(minutes).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}'";

    private sealed class ScenarioLogs(WindowScenario scenario) : IPartitionLogs
    {
        public Task<PartitionLogs> ReadAsync(string topic, IReadOnlyCollection<int> partitions, CancellationToken cancellationToken = default) =>
            Task.FromResult(new PartitionLogs(ClusterId, partitions.ToDictionary(
                p => p,
                p => new PartitionLog(0, scenario._nextOffsets.GetValueOrDefault(p) + scenario._unloaded.GetValueOrDefault(p)))));
    }

    public async ValueTask DisposeAsync()
    {
        await Warehouse.DisposeAsync();
        _duckDb?.Dispose();
        _bigQuery?.Dispose();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}
