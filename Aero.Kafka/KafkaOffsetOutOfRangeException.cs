using Confluent.Kafka;

namespace Aero.Kafka;

/// <summary>
/// A partition's offset is no longer in the log: retention deleted records this consumer never read.
/// Raised instead of jumping ahead, because jumping would lose those records silently.
/// </summary>
public sealed class KafkaOffsetOutOfRangeException : KafkaException
{
    public KafkaOffsetOutOfRangeException(TopicPartitionOffset? position, Error error)
        : base(new Error(error.Code,
            $"Offset out of range for {position?.ToString() ?? "a partition"}: retention has overtaken the consumer and records were deleted before they were read. " +
            "Aero stops rather than skip them; set aero.kafka.consumer.offset-out-of-range to earliest or latest to jump instead."))
    {
        Position = position;
    }

    public TopicPartitionOffset? Position { get; }
}
