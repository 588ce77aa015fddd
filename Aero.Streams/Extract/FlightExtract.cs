using System.Globalization;
using System.Text;
using System.Text.Json;
using Aero.Streams.Flights;
using Aero.Streams.Kafka;
using Akka;
using Akka.Streams.Dsl;
using Confluent.Kafka;

namespace Aero.Streams.Extract;

/// <summary>
/// The producing end of every extract: validate, then send each record to the raw topic (JSON, key = flight id,
/// schema-version header) or, rejected, to the dead-letter topic with its original bytes and why. The tally
/// counts a record only once Kafka acknowledged it, so a finished extract balances exactly.
/// </summary>
public static class FlightExtract
{
    private static readonly byte[] SchemaVersion = Encoding.ASCII.GetBytes(FlightRecord.SchemaVersion.ToString(CultureInfo.InvariantCulture));

    /// <summary>Sends every record; completes with the tally once the last was acknowledged.</summary>
    public static Sink<ExtractedRecord, Task<ExtractTally>> ToKafka(ExtractSettings settings, ProducerSettings producerSettings, ExtractTally tally)
    {
        var validator = new FlightValidator(settings.Validation);
        return Flow.Create<ExtractedRecord>()
            .Select(record =>
            {
                tally.CountRead();
                var reason = record.Flight is { } flight ? validator.Validate(flight) : null;
                return ToMessage(reason is null ? record : record.Reject(reason), settings);
            })
            .Via(KafkaProducer.FlexiFlow<ExtractedRecord>(producerSettings))
            .Select(result =>
            {
                if (result.PassThrough.Rejection is { } reason)
                {
                    tally.CountDeadLetter(reason);
                }
                else
                {
                    tally.CountProduced();
                }

                return NotUsed.Instance;
            })
            .ToMaterialized(Sink.Ignore<NotUsed>(), Keep.Right)
            .MapMaterializedValue(done => done.ContinueWith(finished => finished.IsFaulted ? throw finished.Exception!.GetBaseException() : tally, TaskScheduler.Default));
    }

    internal static ProducerMessage<ExtractedRecord> ToMessage(ExtractedRecord record, ExtractSettings settings)
    {
        if (record.Flight is { } flight && record.Rejection is null)
        {
            var value = JsonSerializer.SerializeToUtf8Bytes(flight, FlightJsonContext.Default.FlightRecord);
            var headers = new Headers { { "schema-version", SchemaVersion } };
            return ProducerMessage<ExtractedRecord>.Of(new ProducerRecord(settings.RawTopic, Encoding.UTF8.GetBytes(flight.FlightId), value, headers), record);
        }

        return ProducerMessage<ExtractedRecord>.Of(DeadLetter(record, settings), record);
    }

    private static ProducerRecord DeadLetter(ExtractedRecord record, ExtractSettings settings)
    {
        var location = record.Location;
        var headers = new Headers
        {
            { DeadLetterHeaders.Reason, Encoding.UTF8.GetBytes(record.Rejection ?? "rejected") },
            { DeadLetterHeaders.Source, Encoding.UTF8.GetBytes(location.Source) },
            { DeadLetterHeaders.Position, Encoding.ASCII.GetBytes(location.Position.ToString(CultureInfo.InvariantCulture)) },
        };
        if (location.Path is { } path)
        {
            headers.Add(DeadLetterHeaders.Path, Encoding.UTF8.GetBytes(path));
        }

        if (location.Line is { } line)
        {
            headers.Add(DeadLetterHeaders.Line, Encoding.ASCII.GetBytes(line.ToString(CultureInfo.InvariantCulture)));
        }

        var payload = record.Original;
        if (payload.Length > settings.DeadLetterMaxPayloadBytes)
        {
            headers.Add(DeadLetterHeaders.OriginalBytes, Encoding.ASCII.GetBytes(payload.Length.ToString(CultureInfo.InvariantCulture)));
            headers.Add(DeadLetterHeaders.Truncated, "true"u8.ToArray());
            payload = payload[..settings.DeadLetterMaxPayloadBytes];
        }

        return new ProducerRecord(settings.DeadLetterTopic, Encoding.UTF8.GetBytes(location.ToString()), payload, headers);
    }
}
