using System.Diagnostics;
using Confluent.Kafka;

namespace Aero.Bench;

/// <summary>(a) The yardstick: one thread in a plain Confluent.Kafka consume loop, no stream, no commits.</summary>
internal sealed class BaselineConsumer(string bootstrapServers, string topic, IReadOnlyDictionary<string, string> kafkaProperties)
{
    private long _consumed;

    /// <summary>Records read so far by the running <see cref="Run"/>, for the progress display.</summary>
    public long Consumed => Volatile.Read(ref _consumed);

    /// <summary>Reads <paramref name="records"/> records with a fresh group from the start of the topic.</summary>
    public RunResult Run(long records, TimeSpan deadline)
    {
        Volatile.Write(ref _consumed, 0);
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "bench-a-" + Guid.NewGuid().ToString("N")[..8],
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            SessionTimeoutMs = 6000,
            HeartbeatIntervalMs = 500,
        };
        foreach (var (key, value) in kafkaProperties)
        {
            config.Set(key, value);
        }

        using var consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
        long count = 0;
        long bytes = 0;
        var firstRecord = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        consumer.Subscribe(topic);
        while (count < records)
        {
            var record = consumer.Consume(100);
            if (record is null)
            {
                if (clock.Elapsed > deadline)
                {
                    throw new TimeoutException($"(a) read only {count} of {records} records in {deadline.TotalSeconds:F0} s.");
                }

                continue;
            }

            if (count == 0)
            {
                firstRecord = clock.Elapsed;
            }

            count++;
            bytes += record.Message.Value.Length;
            Volatile.Write(ref _consumed, count);
        }

        var elapsed = clock.Elapsed;
        consumer.Close();
        return new RunResult(count, bytes, elapsed, firstRecord);
    }
}
