namespace Aero.Kafka;

/// <summary>
/// Offsets of partitions that were revoked before their commit succeeded: they were not committed, and the
/// partitions' next owner starts at their last successful commit.
/// </summary>
public sealed class KafkaCommitRevokedException : Exception
{
    public KafkaCommitRevokedException(string message, Exception? lastError)
        : base(message, lastError)
    {
    }
}
