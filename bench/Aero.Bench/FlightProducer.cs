using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace Aero.Bench;

/// <summary>Fills a topic of the embedded Kafka with flight-like JSON records, evenly over its partitions.</summary>
internal static class FlightProducer
{
    private static readonly string[] Airports = ["LAX", "BNA", "SFO", "JFK", "ORD", "ATL", "DFW", "DEN", "SEA", "BOS", "MIA", "PHX", "LAS", "MSP", "DTW", "PHL", "IAH", "CLT", "SLC", "SAN"];
    private static readonly DateTime FirstFlight = new(2001, 1, 1, 6, 0, 0, DateTimeKind.Unspecified);

    /// <summary>A vega-style departure date, spread over a year.</summary>
    public static string Date(long id) => FirstFlight.AddMinutes(id % 500_000).ToString("yyyy/MM/dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>One record, about 100 bytes; deterministic so every run of the benchmark reads the same data.</summary>
    public static byte[] Record(long id)
    {
        var origin = Airports[id % Airports.Length];
        var destination = Airports[((id * 7) + 3) % Airports.Length];
        var date = FirstFlight.AddMinutes(id % 500_000);
        var delay = (id * 37 % 150) - 30;
        var distance = 150 + (id * 131 % 2600);
        return Encoding.UTF8.GetBytes(string.Create(
            CultureInfo.InvariantCulture,
            $$"""{"date":"{{date:yyyy/MM/dd HH:mm}}","delay":{{delay}},"distance":{{distance}},"origin":"{{origin}}","destination":"{{destination}}","id":{{id}}}"""));
    }

    /// <summary>Produces record i to partition i mod partitions; <paramref name="delivered"/> is bumped per acknowledged record.</summary>
    public static long Produce(string bootstrapServers, string topic, int records, int partitions, Action<long> delivered)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            LingerMs = 5,
            CompressionType = CompressionType.Lz4,
            Acks = Acks.Leader,
        };
        long failed = 0;
        long acknowledged = 0;
        long bytes = 0;
        using var producer = new ProducerBuilder<byte[], byte[]>(config).Build();
        void OnDelivery(DeliveryReport<byte[], byte[]> report)
        {
            if (report.Error.IsError)
            {
                Interlocked.Increment(ref failed);
            }
            else
            {
                delivered(Interlocked.Increment(ref acknowledged));
            }
        }

        for (var i = 0; i < records; i++)
        {
            var value = Record(i);
            bytes += value.Length;
            var message = new Message<byte[], byte[]> { Value = value };
            var partition = new TopicPartition(topic, i % partitions);
            while (true)
            {
                try
                {
                    producer.Produce(partition, message, OnDelivery);
                    break;
                }
                catch (ProduceException<byte[], byte[]> error) when (error.Error.Code == ErrorCode.Local_QueueFull)
                {
                    // librdkafka's send queue is full: let it drain a little and try again.
                    producer.Flush(TimeSpan.FromMilliseconds(50));
                }
            }
        }

        var left = producer.Flush(TimeSpan.FromSeconds(60));
        if (left > 0 || Interlocked.Read(ref failed) > 0)
        {
            throw new InvalidOperationException($"Producing failed: {Interlocked.Read(ref failed)} records were refused and {left} not acknowledged within 60 s.");
        }

        return bytes;
    }

    /// <summary>Low and high watermark per partition, straight from the broker.</summary>
    public static Dictionary<int, WatermarkOffsets> Watermarks(string bootstrapServers, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = "aero-bench-watermarks" }).Build();
        return Enumerable.Range(0, partitions).ToDictionary(
            p => p,
            p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)));
    }
}
