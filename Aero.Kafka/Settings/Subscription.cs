using Confluent.Kafka;

namespace Aero.Kafka.Settings;

/// <summary>
/// The topics a source subscribes to and, for sinks that store offsets with their data, where each newly
/// assigned partition starts (its next offset), instead of the offset committed to Kafka: then it is the only
/// source of truth, and the group's Kafka commits are never read.
/// </summary>
public sealed record Subscription
{
    private Subscription(IReadOnlyList<string> topics) => Topics = topics;

    public IReadOnlyList<string> Topics { get; }

    public Func<IReadOnlyCollection<TopicPartition>, IReadOnlyDictionary<TopicPartition, long>>? OffsetsOnAssign { get; private init; }

    public static Subscription ToTopics(params string[] topics) =>
        topics.Length == 0 ? throw new ArgumentException("Subscribe to at least one topic.", nameof(topics)) : new Subscription(topics);

    /// <summary>
    /// Partitions found in <paramref name="offsetsOnAssign"/>'s answer start there; the others at the consumer's
    /// <c>initial-offset</c>, never at the group's Kafka commit (which may belong to another store).
    /// </summary>
    public Subscription WithOffsetsOnAssign(Func<IReadOnlyCollection<TopicPartition>, IReadOnlyDictionary<TopicPartition, long>> offsetsOnAssign) =>
        this with { OffsetsOnAssign = offsetsOnAssign };
}
