using System.Globalization;
using System.Text;
using System.Text.Json;
using Aero.Flights;
using Aero.Streams.Extract;
using Confluent.Kafka;

namespace Aero.Bench.Chaos;

/// <summary>
/// Produces flights to the raw topic at a steady rate for the whole campaign: good records, each with an event id of
/// its own, and a share of bad ones of every kind the load must dead-letter. A record's key says what it is
/// (<c>good-N</c>, <c>bad-KIND-N</c>), so the audit can tell from the log alone where each one belongs.
/// </summary>
internal sealed class ChaosFeed(string bootstrapServers, string topic, int rate, double badShare, int seed)
{
    /// <summary>The kinds of bad record, and their bytes: malformed, not UTF-8, missing or null keys, what no table stores.</summary>
    private static readonly (string Kind, Func<long, byte[]> Value)[] BadRecords =
    [
        ("malformed", n => Encoding.UTF8.GetBytes($"{{\"event_id\": \"bad-{n}\", \"flight_id\": ")),
        ("not-utf8", _ => [0x7b, 0xff, 0xfe, 0x7d]),
        ("missing-event-id", n => Encoding.UTF8.GetBytes($"{{\"flight_id\":\"F{n}\",\"timestamp\":\"2001-01-01T00:00:00Z\",\"source\":\"chaos\"}}")),
        ("null-event-id", n => Encoding.UTF8.GetBytes($"{{\"event_id\":null,\"flight_id\":\"F{n}\",\"timestamp\":\"2001-01-01T00:00:00Z\",\"source\":\"chaos\"}}")),
        ("nul-character", n => Encoding.UTF8.GetBytes($"{{\"event_id\":\"bad-nul-{n}\",\"flight_id\":\"F\\u0000{n}\",\"timestamp\":\"2001-01-01T00:00:00Z\",\"source\":\"chaos\"}}")),
        ("lone-surrogate", n => Encoding.UTF8.GetBytes($"{{\"event_id\":\"bad-surrogate-{n}\",\"flight_id\":\"F{n}\",\"timestamp\":\"2001-01-01T00:00:00Z\",\"source\":\"chaos\",\"note\":\"\\ud800\"}}")),
    ];

    private static readonly string[] Airports = ["ATL", "ORD", "DFW", "DEN", "LAX", "SFO", "SEA", "JFK", "BOS", "MIA"];
    private long _delivered;
    private long _failed;

    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Records librdkafka gave up on (a broker down longer than its delivery timeout); they may or may not be in the log.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    public long Sent { get; private set; }

    public async Task RunAsync(CancellationToken stop)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 5,
        };
        using var producer = new ProducerBuilder<byte[], byte[]>(config).Build();
        var random = new Random(seed);
        var headers = FlightExtract.CreateRawHeaders();
        var perTick = Math.Max(1, rate / 10);
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (await ticks.WaitForNextTickAsync(stop))
            {
                for (var i = 0; i < perTick; i++)
                {
                    var n = Sent++;
                    var (key, value) = random.NextDouble() < badShare ? Bad(n, random) : Good(n, seed);
                    producer.Produce(topic, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(key), Value = value, Headers = headers }, OnDelivery);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        // Whatever was handed to librdkafka is delivered (or given up on) before the audit reads the log.
        producer.Flush(TimeSpan.FromMinutes(2));
    }

    /// <summary>Whether the record with this key must end in flights_raw (else in the dlq table).</summary>
    public static bool IsGood(string key) => key.StartsWith("good-", StringComparison.Ordinal);

    public static string EventId(int seed, long n) => string.Create(CultureInfo.InvariantCulture, $"chaos-{seed}-{n}");

    private void OnDelivery(DeliveryReport<byte[], byte[]> report)
    {
        if (report.Error.IsError)
        {
            Interlocked.Increment(ref _failed);
        }
        else
        {
            Interlocked.Increment(ref _delivered);
        }
    }

    private static (string Key, byte[] Value) Good(long n, int seed)
    {
        var departure = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(n % 525_600);
        var flight = new FlightRecord
        {
            EventId = EventId(seed, n),
            FlightId = string.Create(CultureInfo.InvariantCulture, $"AA{n % 9_000 + 1}-{departure:yyyyMMdd}"),
            Timestamp = departure,
            Origin = Airports[n % Airports.Length],
            Destination = Airports[(n * 7 + 3) % Airports.Length],
            ScheduledDeparture = departure,
            Delay = n % 120 - 20,
            Distance = 200 + n % 2_400,
            Source = "chaos",
            SourcePosition = n,
        };
        return (string.Create(CultureInfo.InvariantCulture, $"good-{n}"), JsonSerializer.SerializeToUtf8Bytes(flight, FlightJsonContext.Default.FlightRecord));
    }

    private static (string Key, byte[] Value) Bad(long n, Random random)
    {
        var (kind, value) = BadRecords[random.Next(BadRecords.Length)];
        return (string.Create(CultureInfo.InvariantCulture, $"bad-{kind}-{n}"), value(n));
    }
}
