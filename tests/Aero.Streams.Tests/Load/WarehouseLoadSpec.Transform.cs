using System.Text;
using System.Text.Json;
using Aero.Flights;
using Aero.Kafka;
using Aero.Streams.Transform;
using Aero.Warehouse;
using Confluent.Kafka;
using Xunit;

namespace Aero.Streams.Tests.Load;

/// <summary>Issue 17 §1: the load transforms every record into flights, or dead-letters it, exactly once; and publishes the processed flights.</summary>
public abstract partial class WarehouseLoadSpec
{
    [Fact]
    public async Task Every_record_should_end_in_flights_or_the_dlq_exactly_once_across_a_restart()
    {
        var clusterId = KafkaCluster.GetClusterId(Kafka.BootstrapServers, null, TimeSpan.FromSeconds(10));
        var transform = FlightTransform.Create(TransformSettings.Create().WithUnknownAirport(UnknownAirportPolicy.DeadLetter));
        // 1,200 flights, every tenth from an airport the reference lacks. The load stops (drained) after the first 700,
        // and starts again from the stored offsets, in another group, for the rest, the first 300 again (the same
        // events) and three records no decoder reads.
        var flights = Enumerable.Range(0, 1_200).Select(i => Vega(i, origin: i % 10 == 0 ? "ZZZ" : "LAX")).ToList();
        var firstEnd = ProduceRecords(flights.Take(700).Select(Json));
        await using var warehouse = await OpenWarehouseAsync();
        await LoadUntil(warehouse, clusterId, firstEnd, transform: transform);
        Assert.Equal(630, await warehouse.CountAsync(WarehouseTables.Flights));

        ProduceRecords(flights.Skip(700).Concat(flights.Take(300)).Select(Json));
        var logEnd = ProduceRecords([Encoding.UTF8.GetBytes("not json"), [0xC3, 0x28], Encoding.UTF8.GetBytes("{\"event_id\": 1")]);
        await LoadUntil(warehouse, clusterId, logEnd, group: "after-the-restart", transform: transform);

        var known = flights.Where(f => f.Origin != "ZZZ").Select(f => f.EventId).Order(StringComparer.Ordinal).ToList();
        var stored = (await warehouse.QueryAsync("SELECT event_id FROM flights")).Rows.Select(r => (string)r[0]!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(known, stored);
        Assert.Equal(1_080, await warehouse.CountAsync(WarehouseTables.Flights));
        Assert.Equal(1_080, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
        // Each unknown-airport record (120, and 30 of them twice in Kafka) and each unreadable one: one dead letter.
        Assert.Equal(153, await warehouse.CountAsync(WarehouseTables.DeadLetters));
        Assert.Equal(153L, await Scalar<long>(warehouse, "SELECT count(*) FROM (SELECT DISTINCT kafka_partition, kafka_offset FROM dlq) positions"));
        Assert.Equal(150L, await Scalar<long>(warehouse, "SELECT count(*) FROM dlq WHERE reason LIKE 'untransformable flight record: unknown origin airport \"ZZZ\"%'"));
        Assert.Equal(logEnd, await warehouse.StoredOffsetsAsync(clusterId, Topic));
    }

    [Fact]
    public async Task Flights_processed_should_receive_every_transformed_record_keyed_by_flight_id()
    {
        var clusterId = KafkaCluster.GetClusterId(Kafka.BootstrapServers, null, TimeSpan.FromSeconds(10));
        var processedTopic = Topic + "-processed";
        Kafka.CreateTopic(processedTopic, Partitions);
        var logEnd = ProduceFlights(0, 300);
        await using var warehouse = await OpenWarehouseAsync();

        await LoadUntil(warehouse, clusterId, logEnd);

        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = Kafka.BootstrapServers,
            GroupId = "processed-reader",
            EnableAutoCommit = false,
        }).Build();
        consumer.Assign(Enumerable.Range(0, Partitions).Select(p => new TopicPartitionOffset(processedTopic, p, Offset.Beginning)));
        var received = new Dictionary<string, ProcessedFlight>(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (received.Count < 300 && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { Message: { } message })
            {
                var flight = JsonSerializer.Deserialize(message.Value, FlightJsonContext.Default.ProcessedFlight)!;
                Assert.Equal(flight.FlightId, Encoding.UTF8.GetString(message.Key));
                received[flight.EventId] = flight;
            }
        }

        var stored = (await warehouse.QueryAsync("SELECT event_id FROM flights")).Rows.Select(r => (string)r[0]!).Order(StringComparer.Ordinal);
        Assert.Equal(stored, received.Keys.Order(StringComparer.Ordinal));
        Assert.All(received.Values, flight => Assert.Equal(("LAX-SFO", "Los Angeles", "San Francisco"), (flight.Route, flight.OriginCity, flight.DestinationCity)));
    }

    private static byte[] Json(FlightRecord flight) => JsonSerializer.SerializeToUtf8Bytes(flight, FlightJsonContext.Default.FlightRecord);

    private static FlightRecord Vega(int number, string origin) =>
        VegaFlightMapping.ToRecord(new VegaFlight("2001/01/01 06:55", number % 90, 337, origin, "SFO"), "spec", number);

    /// <summary>Each value to the next partition in turn, in order; the log end after them.</summary>
    private Dictionary<int, long> ProduceRecords(IEnumerable<byte[]> values)
    {
        try
        {
            Kafka.CreateTopic(Topic, Partitions);
        }
        catch (KafkaException error) when (error.Error.Code == ErrorCode.TopicAlreadyExists)
        {
        }

        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = Kafka.BootstrapServers }).Build();
        var i = 0;
        foreach (var value in values)
        {
            producer.Produce(new TopicPartition(Topic, i++ % Partitions), new Message<byte[], byte[]> { Value = value });
        }

        producer.Flush(TimeSpan.FromSeconds(10));
        return LogEnd(Partitions);
    }
}
