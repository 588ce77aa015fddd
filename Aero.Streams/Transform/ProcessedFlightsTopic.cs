using System.Text;
using System.Text.Json;
using Aero.Flights;
using Aero.Kafka.Settings;
using Aero.Streams.Schema;
using Confluent.Kafka;

namespace Aero.Streams.Transform;

/// <summary>
/// The processed topic (<c>aero.transform.topic</c>): each processed flight as JSON (plain, or in Confluent's wire format when a schema registry is configured), key = flight id. The load publishes
/// a batch's processed flights and waits for Kafka's acknowledgements before its warehouse write, so a batch whose
/// write fails or never happens is published again on replay: at least once, never lost; consumers dedupe on
/// <c>event_id</c>. Publishing after the write would lose a batch to a crash between the two, since the stored
/// offsets have passed it.
/// </summary>
public sealed class ProcessedFlightsTopic : IDisposable
{
    private readonly IProducer<byte[], byte[]> _producer;
    private readonly TimeSpan _flushTimeout;
    private readonly FramedValueWriter? _framed;

    private ProcessedFlightsTopic(IProducer<byte[], byte[]> producer, string topic, TimeSpan flushTimeout, FramedValueWriter? framed)
    {
        _producer = producer;
        Topic = topic;
        _flushTimeout = flushTimeout;
        _framed = framed;
    }

    public string Topic { get; }

    /// <summary>
    /// A producer of <paramref name="settings"/> (acks=all, idempotent by default) to <paramref name="topic"/>; with
    /// <paramref name="framed"/>, its values are in Confluent's wire format.
    /// </summary>
    public static ProcessedFlightsTopic Create(ProducerSettings settings, string topic, FramedValueWriter? framed = null) =>
        new(new ProducerBuilder<byte[], byte[]>(settings.ToClientConfig()).Build(), topic, settings.FlushTimeout, framed);

    /// <summary>Completes when Kafka acknowledged every flight; fails with the first error otherwise.</summary>
    public async Task PublishAsync(IReadOnlyList<ProcessedFlight> flights, CancellationToken cancellationToken = default)
    {
        if (flights.Count == 0)
        {
            return;
        }

        await Task.WhenAll(flights.Select(flight => _producer.ProduceAsync(
            Topic,
            new Message<byte[], byte[]>
            {
                Key = Encoding.UTF8.GetBytes(flight.FlightId),
                Value = Serialize(flight),
            },
            cancellationToken)));
        TransformMetrics.Published.Add(flights.Count);
    }

    private byte[] Serialize(ProcessedFlight flight)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(flight, FlightJsonContext.Default.ProcessedFlight);
        return _framed is null ? json : _framed.Frame(json);
    }

    public void Dispose()
    {
        _producer.Flush(_flushTimeout);
        _producer.Dispose();
    }
}
