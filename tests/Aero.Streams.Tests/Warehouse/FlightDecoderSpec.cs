using System.Text;
using Aero.Streams.Warehouse;
using Confluent.Kafka;
using Xunit;

namespace Aero.Streams.Tests.Warehouse;

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

    private static ConsumeResult<byte[], byte[]> Record(Timestamp timestamp) => new()
    {
        Topic = "flights-raw",
        Partition = 3,
        Offset = 42,
        Message = new Message<byte[], byte[]> { Key = "LAX-SFO-200101010655"u8.ToArray(), Value = Encoding.UTF8.GetBytes(Flight), Timestamp = timestamp },
    };
}
