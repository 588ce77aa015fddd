using System.Text;
using System.Text.Json;
using Aero.Flights;
using Aero.Streams.Extract;
using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;

namespace Aero.Bench;

/// <summary>The flights of an input file that the peer and windows benchmarks load, and how they reach the topic.</summary>
internal static class InputFlights
{
    /// <summary>The first <paramref name="count"/> records of the file that are valid flights, in file order.</summary>
    public static async Task<List<FlightRecord>> ReadAsync(string input, int count, IMaterializer materializer)
    {
        if (!File.Exists(input))
        {
            throw new FileNotFoundException($"{input} is missing: run scripts/fetch-data", input);
        }

        var validator = new FlightValidator(ValidationSettings.Create());
        var flights = new List<FlightRecord>(count);
        await FlightFileSource.Create(input, FileSourceSettings.Default).Take(count)
            .Where(record => record.Flight is not null && validator.Validate(record.Flight) is null)
            .RunForeach(record => flights.Add(record.Flight!), materializer);
        return flights;
    }

    /// <summary>
    /// Each flight as Aero's extract sends it (JSON, key = flight id, LZ4), to the partition <paramref name="partition"/>
    /// picks for its index, or by key when it picks none.
    /// </summary>
    public static void Produce(string bootstrap, string topic, List<FlightRecord> flights, Func<int, int?> partition)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = bootstrap, LingerMs = 5, CompressionType = CompressionType.Lz4 }).Build();
        for (var i = 0; i < flights.Count; i++)
        {
            var message = new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(flights[i].FlightId), Value = JsonSerializer.SerializeToUtf8Bytes(flights[i], FlightJsonContext.Default.FlightRecord) };
            while (true)
            {
                try
                {
                    if (partition(i) is { } chosen)
                    {
                        producer.Produce(new TopicPartition(topic, chosen), message);
                    }
                    else
                    {
                        producer.Produce(topic, message);
                    }

                    break;
                }
                catch (ProduceException<byte[], byte[]> full) when (full.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(10));
                }
            }
        }

        producer.Flush(TimeSpan.FromMinutes(2));
    }
}
