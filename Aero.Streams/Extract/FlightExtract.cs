using System.Globalization;
using System.Text;
using System.Text.Json;
using Aero.Flights;
using Aero.Kafka.Dsl;
using Aero.Kafka.Messages;
using Aero.Kafka.Settings;
using Aero.Streams.Schema;
using Aero.Warehouse;
using Akka;
using Akka.Streams.Dsl;
using Confluent.Kafka;

namespace Aero.Streams.Extract;

/// <summary>
/// The producing end of every extract: validate, then send each record to the raw topic (JSON, plain or framed for a schema registry, key = flight id,
/// schema-version header) or, rejected, to the dead-letter topic with its original bytes and why. The tally
/// counts a record only once Kafka acknowledged it, so a finished extract balances exactly.
/// </summary>
public static class FlightExtract
{
    private const string DeliveryReportFields = "dotnet.producer.delivery.report.fields";

    // Every valid record carries the same header; Confluent.Kafka only reads it, so one instance serves them all.
    private static readonly Headers RawHeaders = CreateRawHeaders();

    /// <summary>The headers of a record on the raw topic: <see cref="FlightRecord.SchemaVersionHeader"/>. A new instance.</summary>
    public static Headers CreateRawHeaders() =>
        new() { { FlightRecord.SchemaVersionHeader, Encoding.ASCII.GetBytes(FlightRecord.SchemaVersion.ToString(CultureInfo.InvariantCulture)) } };

    /// <summary>Sends every record; completes with the tally once the last was acknowledged.</summary>
    public static Sink<ExtractedRecord, Task<ExtractTally>> ToKafka(ExtractSettings settings, ProducerSettings producerSettings, ExtractTally tally, FramedValueWriter? framed = null) =>
        Flow.Create<ExtractedRecord>()
            .Select(record => (IReadOnlyList<ExtractedRecord>)[record])
            .ToMaterialized(ChunksToKafka(settings, producerSettings, tally, framed), Keep.Right);

    /// <summary>
    /// As <see cref="ToKafka"/>, for chunks of records (<see cref="FlightFileSource.CreateChunks"/>): each chunk is
    /// validated and serialized on the thread pool, one chunk per core at a time, and sent as one producer message.
    /// With <paramref name="framed"/>, valid records are in Confluent's wire format; dead letters keep their original bytes.
    /// </summary>
    public static Sink<IReadOnlyList<ExtractedRecord>, Task<ExtractTally>> ChunksToKafka(
        ExtractSettings settings, ProducerSettings producerSettings, ExtractTally tally, FramedValueWriter? framed = null)
    {
        var validator = new FlightValidator(settings.Validation);
        return Flow.Create<IReadOnlyList<ExtractedRecord>>()
            // SelectAsync keeps the chunks in order while the cores serialize them side by side.
            .SelectAsync(Environment.ProcessorCount, chunk => Task.Run(() => ToMessage(chunk, validator, settings, tally, framed)))
            .Via(KafkaProducer.FlexiFlow<(int Records, string[] Rejections)>(EffectiveProducerSettings(producerSettings)))
            .Select(result =>
            {
                var (records, rejections) = result.PassThrough;
                foreach (var reason in rejections)
                {
                    tally.CountDeadLetter(reason);
                    ExtractMetrics.DeadLettered.Add(1, new KeyValuePair<string, object?>("reason", RejectionReasons.KindOf(reason)));
                }

                tally.CountProduced(records - rejections.Length);
                ExtractMetrics.Sent.Add(records - rejections.Length);
                return NotUsed.Instance;
            })
            .ToMaterialized(Sink.Ignore<NotUsed>(), Keep.Right)
            .MapMaterializedValue(done => done.ContinueWith(finished => finished.IsFaulted ? throw finished.Exception!.GetBaseException() : tally, TaskScheduler.Default));
    }

    // The tally needs only each delivery's error: unless configured otherwise, Confluent.Kafka need not keep every key
    // and value until it is acknowledged (they would outlive young-generation collections), nor copy the headers back.
    /// <summary>The producer settings an extract runs with: <paramref name="settings"/>, with delivery reports that carry the status only unless configured otherwise.</summary>
    public static ProducerSettings EffectiveProducerSettings(ProducerSettings settings) =>
        settings.Properties.ContainsKey(DeliveryReportFields) ? settings : settings.WithProperty(DeliveryReportFields, "status");

    /// <summary>
    /// Validates the chunk; its message sends each record to the raw or the dead-letter topic. Only the count and the
    /// rejections pass through: the records themselves can be collected before Kafka acknowledges them.
    /// </summary>
    private static ProducerMessage<(int Records, string[] Rejections)> ToMessage(IReadOnlyList<ExtractedRecord> chunk, FlightValidator validator, ExtractSettings settings, ExtractTally tally, FramedValueWriter? framed)
    {
        var records = new ProducerRecord[chunk.Count];
        List<string>? rejections = null;
        for (var i = 0; i < chunk.Count; i++)
        {
            var record = chunk[i];
            var reason = record.Flight is { } flight ? validator.Validate(flight) : null;
            var checkedRecord = reason is null ? record : record.Reject(reason);
            if (checkedRecord.Rejection is { } rejection)
            {
                (rejections ??= []).Add(rejection);
            }

            records[i] = ToRecord(checkedRecord, settings, framed);
        }

        tally.CountRead(chunk.Count);
        return ProducerMessage<(int, string[])>.Of(records, (chunk.Count, rejections?.ToArray() ?? []));
    }

    private static ProducerRecord ToRecord(ExtractedRecord record, ExtractSettings settings, FramedValueWriter? framed)
    {
        if (record.Flight is { } flight && record.Rejection is null)
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(flight, FlightJsonContext.Default.FlightRecord);
            var value = framed is null ? json : framed.Frame(json);
            return new ProducerRecord(settings.RawTopic, Encoding.UTF8.GetBytes(flight.FlightId), value, RawHeaders);
        }

        return DeadLetter(record, settings);
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
