using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Processors;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.Stream;
using Streamiz.Kafka.Net.Table;

namespace Aero.Bench;

/// <summary>
/// What a .NET user would reach for to window a Kafka topic: Streamiz (Kafka Streams for .NET). The same 1-hour tumbling
/// windows on the scheduled departure (else the event time), every record counted, per origin, into an in-memory window store: the
/// records are re-keyed by origin through a repartition topic, as Kafka Streams groups. Each record's two fields are
/// read with one forward-only JSON reader pass, the cheapest a careful user would write. At least once; nothing is
/// stored in a warehouse. Done once every record has updated its window's count.
/// </summary>
internal static class StreamizPeer
{
    private const string Store = "origin-hour-counts";
    private static long _counted;

    public static long Counted => Interlocked.Read(ref _counted);

    /// <param name="createTopic">
    /// Creates a topic of n partitions: the embedded cluster answers no admin client's CreateTopics, so the peer's
    /// internal topics (repartition, changelog) are created for it first, as many partitions as the input's.
    /// </param>
    public static async Task<(TimeSpan Elapsed, TimeSpan Cpu, long Counted)> RunAsync(string bootstrap, string topic, int partitions, Action<string, int> createTopic, int records, TimeSpan deadline)
    {
        Interlocked.Exchange(ref _counted, 0);
        var application = "bench-streamiz-" + Guid.NewGuid().ToString("N")[..8];
        createTopic($"{application}-{Store}-repartition", partitions);
        createTopic($"{application}-{Store}-changelog", partitions);
        var config = new StreamConfig<StringSerDes, StringSerDes>
        {
            ApplicationId = application,
            BootstrapServers = bootstrap,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            ReplicationFactor = 1,
            // The embedded cluster's consumer settings (EmbeddedKafka.ConsumerProperties), as Aero's phases use them.
            SessionTimeoutMs = 6000,
            HeartbeatIntervalMs = 500,
            FetchWaitMaxMs = 20,
            // As Aero's producers: the embedded cluster keeps about 5 MiB of each partition, the repartition topic's too.
            CompressionType = CompressionType.Lz4,
            StateDir = Directory.CreateTempSubdirectory("aero-bench-streamiz-").FullName,
        };
        var builder = new StreamBuilder();
        builder.Stream<string, string>(topic, new StringSerDes(), new StringSerDes(), new ScheduledDepartureExtractor())
            .GroupBy<string, StringSerDes>((_, value, _) => Field(value, "origin") ?? "?")
            // A grace of years: Kafka Streams drops a record behind its partition's stream time by more than the grace,
            // and records re-keyed from 32 partitions read at their own pace arrive that far apart. Aero counts every
            // record too (in its window, or as late).
            .WindowedBy(TumblingWindowOptions.Of(TimeSpan.FromHours(1), TimeSpan.FromDays(3000)))
            .Count(InMemoryWindows.As<string, long>(Store, TimeSpan.FromDays(3650)).WithValueSerdes<Int64SerDes>())
            .ToStream()
            .Foreach((_, _, _) => Interlocked.Increment(ref _counted));

        using var process = Process.GetCurrentProcess();
        var cpu = CpuClock.Start(process);
        var clock = Stopwatch.StartNew();
        using var stream = new KafkaStream(builder.Build(), config);
        await stream.StartAsync();
        await WaitForAsync(records, deadline);
        var elapsed = (clock.Elapsed, cpu.Elapsed);
        stream.Dispose();
        Directory.Delete(config.StateDir, recursive: true);
        return (elapsed.Item1, elapsed.Item2, Counted);
    }

    /// <summary>Until every record is counted; a minute without progress is a failure, not a wait until the deadline.</summary>
    private static async Task WaitForAsync(int records, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        var (seen, since) = (Counted, clock.Elapsed);
        while (Counted < records)
        {
            if (Counted != seen)
            {
                (seen, since) = (Counted, clock.Elapsed);
            }
            else if (clock.Elapsed - since > TimeSpan.FromMinutes(1) || clock.Elapsed > deadline)
            {
                throw new TimeoutException($"Streamiz counted {seen:N0} of {records:N0} records and no more for a minute: the embedded Kafka may have trimmed its repartition topic (about 5 MiB a partition); try fewer --records");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>A top-level string field of a flight record's JSON, or null.</summary>
    private static string? Field(string json, string name)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals(name))
            {
                reader.Read();
                return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
        }

        return null;
    }

    private sealed class ScheduledDepartureExtractor : ITimestampExtractor
    {
        public long Extract(ConsumeResult<object, object> record, long partitionTime)
        {
            var json = record.Message.Value switch
            {
                string text => text,
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                _ => null,
            };
            var time = json is null ? null : Field(json, "scheduled_departure") ?? Field(json, "timestamp");
            return time is not null && DateTime.TryParse(time, null, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed)
                ? new DateTimeOffset(parsed, TimeSpan.Zero).ToUnixTimeMilliseconds()
                : partitionTime;
        }
    }
}
