namespace Aero.Kafka;

/// <summary>Offsets could not be committed within <c>commit-timeout</c>, retries included.</summary>
public sealed class KafkaCommitTimeoutException : TimeoutException
{
    public KafkaCommitTimeoutException(string message, Exception? lastError)
        : base(message, lastError)
    {
    }
}
