using System.Text.Json;
using Aero.FakeBigQuery;
using Aero.Flights;
using Aero.Kafka.Messages;
using Aero.Warehouse.BigQuery;

namespace Aero.Warehouse.Tests.BigQuery;

/// <summary>Settings with tiny waits (no test waits seconds for a back-off), and rows, dead letters and batches.</summary>
internal static class BigQueryTestData
{
    public const string ProjectId = "aero-test";
    public const string DatasetId = "aero";
    public const string Topic = "flights-raw";
    public const string ClusterId = "cluster-a";

    // Looks like a real OAuth token, so a leak would be recognisable in any message.
    public const string Token = "ya29.a0-never-print-this-token";

    public static BigQuerySettings Settings(FakeBigQueryServer fake, BigQueryWriteMode mode = BigQueryWriteMode.Load) =>
        BigQuerySettings.Create()
            .WithEndpoint(fake.Endpoint)
            .WithProjectId(ProjectId)
            .WithDataset(DatasetId)
            .WithMode(mode)
            .WithAccessToken(Token)
            .WithLoadInterval(TimeSpan.Zero)
            .WithJobPollInterval(TimeSpan.FromMilliseconds(2))
            .WithRetry(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(8), TimeSpan.FromSeconds(20))
            .WithAttemptTimeout(TimeSpan.FromSeconds(20))
            .WithQuotaBackoff(TimeSpan.FromMilliseconds(30));

    public static LoadRow Row(int partition, long offset, string? eventId = null, double? delay = 5, string topic = Topic)
    {
        eventId ??= $"event-{partition}-{offset}";
        var flight = new FlightRecord
        {
            EventId = eventId,
            FlightId = $"AB{offset}",
            // As deterministic as the event id, as in every source: the same event always has the same event time.
            Timestamp = DateTime.UtcNow.Date.AddMinutes(eventId.Sum(c => c) % 1000),
            Airline = "AB",
            Origin = "ZRH",
            Destination = "LHR",
            Delay = delay,
            Source = "spec",
            SourcePosition = offset,
        };
        return new LoadRow(flight, JsonSerializer.Serialize(flight, FlightJsonContext.Default.FlightRecord), new KafkaPosition(topic, partition, offset, DateTime.UtcNow));
    }

    public static IEnumerable<LoadRow> Rows(int partition, long from, int count) => Enumerable.Range(0, count).Select(i => Row(partition, from + i));

    public static DeadLetter Letter(int partition, long offset, string topic = Topic) =>
        new("not json {"u8.ToArray(), "undecodable flight record: spec", new KafkaPosition(topic, partition, offset, DateTime.UtcNow));

    /// <summary>A batch whose next offsets are one past the highest offset per partition, as the load graph makes them.</summary>
    public static LoadBatch Batch(IEnumerable<LoadRow> rows, IEnumerable<DeadLetter>? letters = null, string clusterId = ClusterId)
    {
        var rowList = rows.ToList();
        var letterList = (letters ?? []).ToList();
        var next = rowList.Select(r => r.Position).Concat(letterList.Select(d => d.Position))
            .GroupBy(p => (p.Topic, p.Partition))
            .ToDictionary(g => g.Key, g => g.Max(p => p.Offset) + 1);
        return new LoadBatch(clusterId, rowList, letterList, next);
    }

    public static Dictionary<int, long> Offsets(params (int Partition, long Next)[] offsets) => offsets.ToDictionary(o => o.Partition, o => o.Next);
}
