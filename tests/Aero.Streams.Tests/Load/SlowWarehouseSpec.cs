using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aero.Flights;
using Aero.Kafka;
using Aero.Kafka.Internal;
using Aero.Kafka.Messages;
using Aero.Kafka.Settings;
using Aero.Kafka.Tests;
using Aero.Streams.Load;
using Aero.Warehouse;
using Aero.Warehouse.DuckDb;
using Confluent.Kafka;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Streams.Tests.Load;

[Collection(MemoryMeasurements.Name)]
public sealed class SlowWarehouseSpec(ITestOutputHelper output) : KafkaSpecBase(output), IDisposable
{
    private const int Partitions = 6;
    private const int RecordsPerPartition = 4_000;
    private const int PartitionBufferSize = 100;
    private const int BatchSize = 200;
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"aero-{Guid.NewGuid():N}.duckdb");

    [Fact]
    public async Task A_stalled_warehouse_should_pause_every_partition_keep_memory_bounded_and_load_everything_once_it_recovers()
    {
        // About 1 KB per record: 24 MB of lag, far more than the graph may hold while the warehouse stalls.
        var logEnd = ProducePaddedFlights();
        var clusterId = KafkaCluster.GetClusterId(Kafka.BootstrapServers, null, TimeSpan.FromSeconds(10));
        await using var duckDb = DuckDbWarehouse.Open(DuckDbSettings.Create().WithPath(_path));
        var warehouse = new GatedWarehouse(duckDb);
        GC.Collect();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);

        using var processed = LoadSpecs.ProcessedTopic(ProducerSettings, Topic);
        var control = WarehouseLoad.Create(
                ConsumerSettings.WithPartitionBufferSize(PartitionBufferSize).WithProperty("queued.max.messages.kbytes", "2048"),
                CommitterSettings,
                LoadSettings.Create().WithBatchSize(BatchSize).WithBatchInterval(TimeSpan.FromMilliseconds(50)),
                Topic,
                clusterId,
                warehouse,
                LoadSpecs.Transform,
                processed)
            .Run(Materializer);
        var engine = ((ConsumerControl)control.Control).Engine;

        await AwaitConditionAsync(
            () => Task.FromResult(engine.Assigned.Count == Partitions && engine.Assigned.All(p => p.IsPaused)),
            TimeSpan.FromSeconds(30));

        // One write in flight per partition, nothing stored, and what is held is bounded by the settings, not the lag.
        Assert.InRange(warehouse.WritesStarted, 1, Partitions);
        Assert.Equal(0, await duckDb.CountAsync(WarehouseTables.FlightsRaw));
        Assert.InRange(engine.Assigned.Sum(p => p.Count), 0, Partitions * PartitionBufferSize);
        var heapGrowth = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        const long heapBound = 16L * 1024 * 1024;
        Assert.True(heapGrowth < heapBound, $"managed heap grew by {heapGrowth / 1024 / 1024} MB with 24 MB of lag; the bound is 16 MB");

        warehouse.Open();
        await AwaitConditionAsync(
            async () =>
            {
                var stored = await duckDb.StoredOffsetsAsync(clusterId, Topic);
                return control.StreamCompletion.IsCompleted || logEnd.All(end => stored.GetValueOrDefault(end.Key) == end.Value);
            },
            TimeSpan.FromSeconds(60));
        await control.DrainAndShutdownAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(Partitions * RecordsPerPartition, await duckDb.CountAsync(WarehouseTables.FlightsRaw));
        Assert.Equal(logEnd, await duckDb.StoredOffsetsAsync(clusterId, Topic));
    }

    public new void Dispose()
    {
        base.Dispose();
        File.Delete(_path);
        File.Delete(_path + ".wal");
    }

    private Dictionary<int, long> ProducePaddedFlights()
    {
        Kafka.CreateTopic(Topic, Partitions);
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = Kafka.BootstrapServers, LingerMs = 5 }).Build();
        var padding = new string('x', 800);
        for (var i = 0; i < Partitions * RecordsPerPartition; i++)
        {
            var flight = VegaFlightMapping.ToRecord(new VegaFlight("2001/01/01 06:55", i % 60, 1000, "LAX", "SFO"), "slow-spec", i);
            // A field the record does not know: kept in the raw JSON, it makes each record about 1 KB.
            var json = JsonSerializer.SerializeToNode(flight, FlightJsonContext.Default.FlightRecord)!.AsObject();
            json["padding"] = padding;
            producer.Produce(new TopicPartition(Topic, i % Partitions), new Message<byte[], byte[]>
            {
                Key = Encoding.UTF8.GetBytes(flight.FlightId),
                Value = Encoding.UTF8.GetBytes(json.ToJsonString()),
            });
        }

        producer.Flush(TimeSpan.FromSeconds(30));
        return LogEnd(Partitions);
    }

    /// <summary>A warehouse whose writes wait until it is opened: a warehouse that has stalled.</summary>
    private sealed class GatedWarehouse(IWarehouse inner) : IWarehouse
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _writesStarted;

        public int WritesStarted => Volatile.Read(ref _writesStarted);

        public string Description => "gated " + inner.Description;

        public void Open() => _open.TrySetResult();

        public Task<IReadOnlyDictionary<int, KafkaPosition>> StoredPositionsAsync(string clusterId, string topic, CancellationToken cancellationToken = default) =>
            inner.StoredPositionsAsync(clusterId, topic, cancellationToken);

        public async Task<WriteResult> WriteAsync(LoadBatch batch, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _writesStarted);
            await _open.Task;
            return await inner.WriteAsync(batch, cancellationToken);
        }

        public Task<long> CountAsync(string table, CancellationToken cancellationToken = default) => inner.CountAsync(table, cancellationToken);

        public IReadOnlyList<Aero.Warehouse.Views.WarehouseView> Views => inner.Views;

        public Task<bool> HasTableAsync(string name, CancellationToken cancellationToken = default) => inner.HasTableAsync(name, cancellationToken);

        public Task<QueryResult> QueryAsync(string sql, CancellationToken cancellationToken = default) => inner.QueryAsync(sql, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
