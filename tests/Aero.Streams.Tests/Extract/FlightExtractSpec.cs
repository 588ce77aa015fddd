using System.Text;
using Aero.Flights;
using Aero.Kafka.Settings;
using Aero.Kafka.Tests;
using Aero.Streams.Extract;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Streams.Tests.Extract;

public sealed class FlightExtractSpec(ITestOutputHelper output) : KafkaSpecBase(output)
{
    private readonly ExtractSettings _settings = ExtractSettings.Create().WithRawTopic("raw-" + Guid.NewGuid().ToString("N")[..6]).WithDeadLetterTopic("dlq-" + Guid.NewGuid().ToString("N")[..6]);

    [Fact]
    public async Task Valid_records_should_reach_the_raw_topic_and_every_rejection_the_dead_letter_topic_with_its_reason()
    {
        Kafka.CreateTopic(_settings.RawTopic, 2);
        Kafka.CreateTopic(_settings.DeadLetterTopic, 1);
        var valid = Enumerable.Range(0, 100).Select(i => Parsed(i, "SFO", delay: i)).ToList();
        var tooLarge = new byte[2_000_000];
        var records = valid
            .Append(Parsed(100, "sfo", delay: 0))
            .Append(Parsed(101, "SFO", delay: 99_999))
            .Append(ExtractedRecord.Rejected("malformed-json: unexpected end at byte 17", "{\"date\":\"2001/01"u8.ToArray(), new SourceLocation("bad.json", "/data/bad.json", 102)))
            .Append(ExtractedRecord.Rejected("too-large: record of 2000000 bytes exceeds max-record-bytes", tooLarge, new SourceLocation("big.ndjson", "/data/big.ndjson", 0, Line: 1)))
            .ToList();
        var tally = new ExtractTally();

        await Source.From(records).RunWith(FlightExtract.ToKafka(_settings, ProducerSettings, tally), Materializer).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal((104L, 100L, 4L), (tally.Read, tally.Produced, tally.DeadLettered));
        Assert.True(tally.Balances);
        Assert.Equal(new Dictionary<string, long> { ["bad-code"] = 1, ["out-of-range"] = 1, ["malformed-json"] = 1, ["too-large"] = 1 }, tally.DeadLettersByReason);

        var raw = ReadAll(_settings.RawTopic, 2);
        Assert.Equal(100, raw.Count);
        Assert.All(raw, r => Assert.Equal("3", Header(r, "schema-version")));
        Assert.Equal(valid.Select(v => v.Flight!.FlightId).Order(), raw.Select(r => Encoding.UTF8.GetString(r.Message.Key)).Order());

        var dead = ReadAll(_settings.DeadLetterTopic, 1).ToDictionary(r => Header(r, DeadLetterHeaders.Position));
        Assert.StartsWith("bad-code: origin 'sfo'", Header(dead["100"], DeadLetterHeaders.Reason));
        Assert.StartsWith("out-of-range: delay 99999", Header(dead["101"], DeadLetterHeaders.Reason));
        Assert.Equal("{\"date\":\"2001/01", Encoding.UTF8.GetString(dead["102"].Message.Value));
        Assert.Equal("/data/bad.json", Header(dead["102"], DeadLetterHeaders.Path));
        Assert.Equal("1", Header(dead["0"], DeadLetterHeaders.Line));
        Assert.Equal("2000000", Header(dead["0"], DeadLetterHeaders.OriginalBytes));
        Assert.Equal(_settings.DeadLetterMaxPayloadBytes, dead["0"].Message.Value.Length);
    }

    private static ExtractedRecord Parsed(int position, string origin, double delay)
    {
        var flight = VegaFlightMapping.ToRecord(new VegaFlight("2001/01/01 06:55", delay, 500, origin, "JFK"), "spec.json", position);
        return ExtractedRecord.Parsed(flight with { FlightId = $"{flight.FlightId}-{position}" }, "{}"u8.ToArray(), new SourceLocation("spec.json", null, position));
    }

    private static string Header(ConsumeResult<byte[], byte[]> record, string name) =>
        Encoding.UTF8.GetString(record.Message.Headers.GetLastBytes(name));

    private List<ConsumeResult<byte[], byte[]>> ReadAll(string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = Kafka.BootstrapServers, GroupId = "reader" }).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var end = Enumerable.Range(0, partitions).Sum(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value);
        var records = new List<ConsumeResult<byte[], byte[]>>();
        while (records.Count < end && consumer.Consume(TimeSpan.FromSeconds(10)) is { } record)
        {
            records.Add(record);
        }

        return records;
    }
}
