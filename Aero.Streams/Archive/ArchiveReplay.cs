using Aero.Kafka.Dsl;
using Aero.Kafka.Messages;
using Aero.Kafka.Settings;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace Aero.Streams.Archive;

/// <summary>
/// Feeds archived records back into a topic through the extract's producer stage, byte for byte: the event id is in
/// the value, so the warehouse stores each event once however often it is replayed, and a fresh warehouse is rebuilt
/// without the original input files. Records the load dead-letters go back too, and are dead-lettered again.
/// Headers are not archived: the load reads none.
/// </summary>
public static class ArchiveReplay
{
    /// <summary>The files of <paramref name="topic"/> with an event date from <paramref name="from"/> to <paramref name="to"/> (both included, either open), in offset order per partition.</summary>
    public static async Task<IReadOnlyList<ArchiveFile>> FilesAsync(IArchiveTarget target, string topic, DateOnly? from, DateOnly? to, CancellationToken cancellation) =>
        [.. (await target.ListAsync(cancellation))
            .Where(f => f.Topic == topic && (from is null || f.Date >= from) && (to is null || f.Date <= to))
            .OrderBy(f => f.Partition)
            .ThenBy(f => f.FirstOffset)];

    /// <summary>Produces every record of <paramref name="files"/> to <paramref name="topic"/>; the task completes once Kafka acknowledged them all.</summary>
    public static async Task<long> RunAsync(IArchiveTarget target, IReadOnlyList<ArchiveFile> files, string topic, ProducerSettings producerSettings, IMaterializer materializer, CancellationToken cancellation)
    {
        var produced = 0L;
        await Source.From(files)
            .ConcatMany(file => Source.From(() => ArchiveReader.ReadAsync(target, file, cancellation)))
            .Select(value =>
            {
                Interlocked.Increment(ref produced);
                return new ProducerRecord(topic, value.Key, value.Value);
            })
            .RunWith(KafkaProducer.PlainSink(producerSettings), materializer);
        return Interlocked.Read(ref produced);
    }
}
