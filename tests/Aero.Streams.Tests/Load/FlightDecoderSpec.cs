using System.Text;
using Aero.Kafka.Messages;
using Aero.Streams.Load;
using Aero.Warehouse;
using Confluent.Kafka;
using Xunit;

namespace Aero.Streams.Tests.Load;

public sealed class FlightDecoderSpec
{
    private const string Flight = """{"event_id":"0123456789abcdef0123456789abcdef","flight_id":"LAX-SFO-200101010655","timestamp":"2001-01-01T06:55:00Z","source":"spec"}""";

    [Fact]
    public void A_record_should_keep_its_Kafka_position_and_timestamp()
    {
        var created = new DateTime(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);

        var row = Assert.IsType<LoadRow>(FlightDecoder.Decode(Record(new Timestamp(created, TimestampType.CreateTime))));

        Assert.Equal(new KafkaPosition("flights-raw", 3, 42, created), row.Position);
        Assert.Equal(Flight, row.RawJson);
    }

    [Fact]
    public void A_record_without_a_timestamp_should_have_none_rather_than_the_Unix_epoch()
    {
        var row = Assert.IsType<LoadRow>(FlightDecoder.Decode(Record(new Timestamp(0, TimestampType.NotAvailable))));

        Assert.Null(row.Position.Timestamp);
    }

    // issue 13 §2: fields the record does not know are kept in the raw JSON, unread; what no warehouse stores is caught here.
    [Theory]
    [InlineData("\"\\ud800\"", "a string holds a lone surrogate")]
    [InlineData("{\"deep\": [\"\\udc00x\"]}", "a string holds a lone surrogate")]
    [InlineData("1e1000000", "a number beyond the range of a double")]
    [InlineData("-1e309", "a number beyond the range of a double")]
    public void A_field_the_record_does_not_know_holding_what_no_warehouse_stores_should_be_a_dead_letter(string extra, string reason)
    {
        var json = Flight[..^1] + ",\"extra\":" + extra + "}";

        var letter = Assert.IsType<DeadLetter>(FlightDecoder.Decode(Record(new Timestamp(0, TimestampType.NotAvailable), json)));

        Assert.Equal($"undecodable flight record: {reason}", letter.Reason);
    }

    [Theory]
    [InlineData("\"\\ud83d\\ude00 \\\\ud800\"")]
    [InlineData("1.7976931348623157e308")]
    public void A_field_the_record_does_not_know_holding_what_every_warehouse_stores_should_be_kept(string extra)
    {
        var json = Flight[..^1] + ",\"extra\":" + extra + "}";

        var row = Assert.IsType<LoadRow>(FlightDecoder.Decode(Record(new Timestamp(0, TimestampType.NotAvailable), json)));

        Assert.Equal(json, row.RawJson);
    }

    private static ConsumeResult<byte[], byte[]> Record(Timestamp timestamp, string value = Flight) => new()
    {
        Topic = "flights-raw",
        Partition = 3,
        Offset = 42,
        Message = new Message<byte[], byte[]> { Key = "LAX-SFO-200101010655"u8.ToArray(), Value = Encoding.UTF8.GetBytes(value), Timestamp = timestamp },
    };
}
