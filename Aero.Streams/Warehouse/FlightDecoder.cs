using System.Text;
using System.Text.Json;
using Aero.Streams.Flights;
using Confluent.Kafka;

namespace Aero.Streams.Warehouse;

/// <summary>Turns a Kafka record into a row, or into a dead letter that says why it could not.</summary>
public static class FlightDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static object Decode(ConsumeResult<byte[], byte[]> record)
    {
        var position = new KafkaPosition(record.Topic, record.Partition.Value, record.Offset.Value, record.Message.Timestamp.UtcDateTime);
        var payload = record.Message.Value ?? [];
        try
        {
            var json = StrictUtf8.GetString(payload);
            var flight = JsonSerializer.Deserialize(json, FlightJsonContext.Default.FlightRecord)
                ?? throw new JsonException("the value is JSON null");
            return new LoadRow(flight, json, position);
        }
        catch (Exception error) when (error is JsonException or DecoderFallbackException)
        {
            return new DeadLetter(payload, $"undecodable flight record: {error.Message}", position);
        }
    }
}
