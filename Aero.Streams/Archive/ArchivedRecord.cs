using Aero.Kafka.Messages;
using Aero.Streams.Load;
using Aero.Streams.Schema;
using Aero.Warehouse;

namespace Aero.Streams.Archive;

/// <summary>
/// One Kafka record on its way into the archive: decoded as the load decodes it (a flight, or a dead letter with its
/// reason), its key and value bytes as Kafka held them, and the event date it is filed under.
/// </summary>
public sealed record ArchivedRecord(LoadRecord Record, byte[]? Key, byte[] Value, DateOnly Date, CommittableOffset Offset)
{
    /// <summary>The message decoded as the load decodes it, framed values through <paramref name="framed"/>; its value archived as Kafka held it.</summary>
    public static ArchivedRecord Of(CommittableMessage message, FramedValueReader? framed = null)
    {
        var record = FlightDecoder.Decode(message.Record, framed);
        // The value bytes are archived, not the decoder's text of them: a row group would hold each record twice.
        record = record is LoadRow row ? row with { RawJson = string.Empty } : record;
        return new ArchivedRecord(record, message.Record.Message.Key, message.Record.Message.Value ?? [], DateOf(record), message.Offset);
    }

    /// <summary>
    /// A flight's event date (its timestamp's UTC date); a record that is no flight is filed under the date Kafka
    /// stamped it with, or, when it carries none, under 1970-01-01.
    /// </summary>
    private static DateOnly DateOf(LoadRecord record) => DateOnly.FromDateTime(record switch
    {
        LoadRow row => row.Flight.Timestamp.Kind == DateTimeKind.Local ? row.Flight.Timestamp.ToUniversalTime() : row.Flight.Timestamp,
        _ => record.Position.Timestamp ?? DateTime.UnixEpoch,
    });
}
