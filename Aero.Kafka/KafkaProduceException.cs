using Confluent.Kafka;

namespace Aero.Kafka;

/// <summary>Kafka did not acknowledge a record after librdkafka's own retries (message.timeout.ms).</summary>
public sealed class KafkaProduceException : KafkaException
{
    public KafkaProduceException(string topic, Error error)
        : base(new Error(error.Code, $"A record for topic {topic} was not delivered: {error.Reason}", error.IsFatal))
    {
        Topic = topic;
    }

    public string Topic { get; }
}
