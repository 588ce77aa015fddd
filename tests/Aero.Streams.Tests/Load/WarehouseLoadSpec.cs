using System.Text;
using System.Text.Json;
using Aero.Flights;
using Aero.Kafka;
using Aero.Kafka.Settings;
using Aero.Kafka.Tests;
using Aero.Streams.Load;
using Aero.Streams.Transform;
using Aero.Warehouse;
using Confluent.Kafka;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Streams.Tests.Load;

/// <summary>The load graph end to end on the embedded Kafka, once per backend: a subclass opens a fresh store per test.</summary>
public abstract partial class WarehouseLoadSpec(ITestOutputHelper output) : KafkaSpecBase(output)
{
    private const int Partitions = 3;

    /// <summary>Opens (or reopens) this test's store.</summary>
    protected abstract Task<IWarehouse> OpenWarehouseAsync();

    [Fact]
    public async Task Load_should_store_every_record_once_with_its_offsets_and_resume_from_the_stored_offsets()
    {
        var logEnd = ProduceFlights(0, 3_000);
        var clusterId = KafkaCluster.GetClusterId(Kafka.BootstrapServers, null, TimeSpan.FromSeconds(10));
        await using var warehouse = await OpenWarehouseAsync();

        await LoadUntil(warehouse, clusterId, logEnd);
        Assert.Equal(3_000, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
        Assert.Equal(logEnd, await warehouse.StoredOffsetsAsync(clusterId, Topic));

        // More records, and a new consumer group: it must start at the stored offsets, not at Kafka's (none for it).
        logEnd = ProduceFlights(3_000, 1_000);
        var stored = new List<LoadedBatch>();
        await LoadUntil(warehouse, clusterId, logEnd, stored.Add, group: "another-group");

        Assert.Equal(4_000, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
        Assert.Equal(1_000, stored.Sum(b => b.Result.Inserted + b.Result.AlreadyStored));
        Assert.Equal(logEnd, await warehouse.StoredOffsetsAsync(clusterId, Topic));
        Assert.Equal(4_000L, await Scalar<long>(warehouse, "SELECT count(*) FROM (SELECT DISTINCT kafka_partition, kafka_offset FROM flights_raw) positions"));
    }

    [Fact]
    public async Task The_same_events_produced_again_should_not_add_rows()
    {
        var clusterId = KafkaCluster.GetClusterId(Kafka.BootstrapServers, null, TimeSpan.FromSeconds(10));
        ProduceFlights(0, 500);
        var logEnd = ProduceFlights(0, 500);
        await using var warehouse = await OpenWarehouseAsync();

        var batches = new List<LoadedBatch>();
        await LoadUntil(warehouse, clusterId, logEnd, batches.Add);

        Assert.Equal(500, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
        Assert.Equal(500, batches.Sum(b => b.Result.Inserted));
        Assert.Equal(500, batches.Sum(b => b.Result.AlreadyStored));
    }

    [Fact]
    public async Task Undecodable_records_should_be_dead_lettered_with_their_bytes_and_reason_and_the_load_should_go_on()
    {
        var clusterId = KafkaCluster.GetClusterId(Kafka.BootstrapServers, null, TimeSpan.FromSeconds(10));
        ProduceFlights(0, 100);
        using (var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = Kafka.BootstrapServers }).Build())
        {
            producer.Produce(new TopicPartition(Topic, 0), new Message<byte[], byte[]> { Value = Encoding.UTF8.GetBytes("{\"event_id\": \"truncated") });
            producer.Produce(new TopicPartition(Topic, 1), new Message<byte[], byte[]> { Value = [0xC3, 0x28, 0x7B] });
            // Well-formed JSON that no table can take: a null key field (NOT NULL) and U+0000 (PostgreSQL refuses it).
            producer.Produce(new TopicPartition(Topic, 2), new Message<byte[], byte[]> { Value = FlightJson(900, "event_id", "null") });
            producer.Produce(new TopicPartition(Topic, 2), new Message<byte[], byte[]> { Value = FlightJson(901, "status", "\"late\\u0000\"") });
            // A backslash before "u0000" is text, not U+0000: this one is stored.
            producer.Produce(new TopicPartition(Topic, 2), new Message<byte[], byte[]> { Value = FlightJson(902, "status", "\"\\\\u0000\"") });
            producer.Flush(TimeSpan.FromSeconds(10));
        }

        var logEnd = ProduceFlights(100, 100);
        await using var warehouse = await OpenWarehouseAsync();

        await LoadUntil(warehouse, clusterId, logEnd);

        Assert.Equal(201, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
        Assert.Equal(4, await warehouse.CountAsync(WarehouseTables.DeadLetters));
        Assert.Equal(
            ["undecodable flight record: a string holds U+0000, which PostgreSQL cannot store", "undecodable flight record: event_id is null or empty"],
            (await warehouse.QueryAsync("SELECT reason FROM dlq WHERE kafka_partition = 2 ORDER BY reason")).Rows.Select(r => (string)r.Single()!));
        Assert.Equal("{\"event_id\": \"truncated"u8.ToArray(), await Scalar<byte[]>(warehouse, "SELECT payload FROM dlq WHERE kafka_partition = 0"));
        Assert.Equal([0xC3, 0x28, 0x7B], await Scalar<byte[]>(warehouse, "SELECT payload FROM dlq WHERE kafka_partition = 1"));
        Assert.StartsWith("undecodable flight record", await Scalar<string>(warehouse, "SELECT reason FROM dlq WHERE kafka_partition = 1"));
    }

    private static async Task<T> Scalar<T>(IWarehouse warehouse, string sql)
    {
        var value = (await warehouse.QueryAsync(sql)).Rows.Single().Single();
        return value is T typed ? typed : (T)Convert.ChangeType(value!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Loads with <paramref name="transform"/> (the default one unless given) until the stored offsets reach <paramref name="logEnd"/>, then drains.</summary>
    private async Task LoadUntil(
        IWarehouse warehouse, string clusterId, IReadOnlyDictionary<int, long> logEnd, Action<LoadedBatch>? onLoaded = null, string? group = null, FlightTransform? transform = null,
        Aero.Streams.Schema.FramedValueReader? framed = null)
    {
        var reached = new System.Collections.Concurrent.ConcurrentDictionary<int, long>(await warehouse.StoredOffsetsAsync(clusterId, Topic));
        using var processed = LoadSpecs.ProcessedTopic(ProducerSettings, Topic);
        var control = WarehouseLoad.Create(
                group is null ? ConsumerSettings : ConsumerSettings.WithGroupId(group),
                CommitterSettings,
                LoadSettings.Create().WithBatchSize(400).WithBatchInterval(TimeSpan.FromMilliseconds(100)),
                Topic,
                clusterId,
                warehouse,
                transform ?? LoadSpecs.Transform,
                processed,
                batch =>
                {
                    onLoaded?.Invoke(batch);
                    foreach (var ((_, partition), next) in batch.NextOffsets)
                    {
                        reached[partition] = next;
                    }
                },
                framed: framed)
            .Run(Materializer);

        await AwaitConditionAsync(
            () => Task.FromResult(logEnd.All(end => reached.GetValueOrDefault(end.Key) >= end.Value) || control.StreamCompletion.IsCompleted),
            TimeSpan.FromSeconds(30));
        await control.DrainAndShutdownAsync(TimeSpan.FromSeconds(20));
    }

    /// <summary>Flight <paramref name="number"/>'s JSON as the extract writes it, with <paramref name="property"/> set to the JSON <paramref name="value"/>.</summary>
    private static byte[] FlightJson(int number, string property, string value)
    {
        var flight = VegaFlightMapping.ToRecord(new VegaFlight("2001/01/01 06:55", 0, 1000, "LAX", "SFO"), "spec", number);
        var json = System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.SerializeToUtf8Bytes(flight, FlightJsonContext.Default.FlightRecord))!.AsObject();
        json[property] = System.Text.Json.Nodes.JsonNode.Parse(value);
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    private Dictionary<int, long> ProduceFlights(int first, int count)
    {
        try
        {
            Kafka.CreateTopic(Topic, Partitions);
        }
        catch (KafkaException error) when (error.Error.Code == ErrorCode.TopicAlreadyExists)
        {
        }

        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = Kafka.BootstrapServers }).Build();
        for (var i = first; i < first + count; i++)
        {
            var flight = VegaFlightMapping.ToRecord(new VegaFlight("2001/01/01 06:55", i % 60, 1000, "LAX", "SFO"), "spec", i);
            producer.Produce(new TopicPartition(Topic, i % Partitions), new Message<byte[], byte[]>
            {
                Key = Encoding.UTF8.GetBytes(flight.FlightId),
                Value = JsonSerializer.SerializeToUtf8Bytes(flight, FlightJsonContext.Default.FlightRecord),
            });
        }

        producer.Flush(TimeSpan.FromSeconds(10));
        return LogEnd(Partitions);
    }
}
