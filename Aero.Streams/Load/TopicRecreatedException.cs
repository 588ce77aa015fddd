namespace Aero.Streams.Load;

/// <summary>
/// The warehouse's offsets for a topic do not fit its log: a stored offset beyond where a partition's log ends, or a
/// record before a stored offset that is not the one stored there. Offsets are keyed by topic name, so these are the
/// offsets of an earlier topic of the same name (deleted and re-created); resuming there would skip the new topic's
/// records, so the load stops.
/// </summary>
public sealed class TopicRecreatedException : Exception
{
    public TopicRecreatedException(string topic, IReadOnlyList<(int Partition, long Stored, string Found)> partitions)
        : base(
            $"The warehouse's stored offsets for topic {topic} do not fit its log (" +
            string.Join("; ", partitions.Select(p => $"partition {p.Partition}: stored {p.Stored}, {p.Found}")) +
            "). The topic was most likely deleted and re-created; resuming there would skip its new records, so the load stops. " +
            "Once the old topic's rows are dealt with, delete its rows from _aero_offsets to load the new topic from its start.")
    {
        Topic = topic;
        Partitions = partitions;
    }

    public TopicRecreatedException()
        : this(string.Empty, [])
    {
    }

    public TopicRecreatedException(string message)
        : base(message)
    {
        Topic = string.Empty;
        Partitions = [];
    }

    public TopicRecreatedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Topic = string.Empty;
        Partitions = [];
    }

    public string Topic { get; }

    /// <summary>Each partition that does not fit: its stored next offset and what its log holds instead.</summary>
    public IReadOnlyList<(int Partition, long Stored, string Found)> Partitions { get; }
}
