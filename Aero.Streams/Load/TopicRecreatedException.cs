namespace Aero.Streams.Load;

/// <summary>
/// The warehouse holds offsets for partitions of a topic beyond where their logs end: offsets of an earlier topic of
/// the same name (deleted and re-created). Seeking there would skip the new topic's records, so the load stops.
/// </summary>
public sealed class StoredOffsetsBeyondLogException : Exception
{
    public StoredOffsetsBeyondLogException(string topic, IReadOnlyList<(int Partition, long Stored, long LogEnd)> partitions)
        : base(
            $"The warehouse's stored offsets for topic {topic} are beyond the end of its log (" +
            string.Join(", ", partitions.Select(p => $"partition {p.Partition}: stored {p.Stored}, log end {p.LogEnd}")) +
            "). The topic was most likely deleted and re-created; resuming there would skip its new records, so the load stops. " +
            "Once the old topic's rows are dealt with, delete its rows from _aero_offsets to load the new topic from its start.")
    {
        Topic = topic;
        Partitions = partitions;
    }

    public StoredOffsetsBeyondLogException()
        : this(string.Empty, [])
    {
    }

    public StoredOffsetsBeyondLogException(string message)
        : base(message)
    {
        Topic = string.Empty;
        Partitions = [];
    }

    public StoredOffsetsBeyondLogException(string message, Exception innerException)
        : base(message, innerException)
    {
        Topic = string.Empty;
        Partitions = [];
    }

    public string Topic { get; }

    public IReadOnlyList<(int Partition, long Stored, long LogEnd)> Partitions { get; }
}
