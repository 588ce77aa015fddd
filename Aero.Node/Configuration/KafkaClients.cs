using Aero.Kafka.Embedded;
using Aero.Kafka.Settings;
using Confluent.Kafka;
using Config = Akka.Configuration.Config;

namespace Aero.Node.Configuration;

/// <summary>
/// Every Kafka client <c>aero run</c> builds (the load's consumer, the extract's producer, the admin client that counts
/// partitions, the consumer that reads log ends), from one configuration, so each carries the connection's security
/// properties (<c>aero.kafka.kafka-clients</c>: security.protocol, sasl.*, ssl.*).
/// </summary>
/// <param name="Shared">The properties every client takes; the consumer and producer carry them under their own.</param>
public sealed record KafkaClients(ConsumerSettings Consumer, ProducerSettings Producer, IReadOnlyDictionary<string, string> Shared)
{
    /// <summary>Reads (and so checks) the consumer and producer settings before anything starts.</summary>
    public static KafkaClients Create(Config config) => new(
        ConsumerSettings.Create(config),
        ProducerSettings.Create(config),
        KafkaClientProperties.Shared(AeroKafkaConfig.WithDefaults(config).GetConfig("aero.kafka")));

    /// <summary>The clients pointed at <paramref name="bootstrap"/>; the embedded Kafka's consumer gets its short group timeouts.</summary>
    public KafkaClients WithBootstrapServers(string bootstrap, bool embedded)
    {
        var consumer = Consumer.WithBootstrapServers(bootstrap);
        return this with
        {
            Consumer = embedded ? consumer.WithProperties(EmbeddedKafka.ConsumerProperties) : consumer,
            Producer = Producer.WithBootstrapServers(bootstrap),
        };
    }

    /// <summary>For metadata (partition counts): the shared properties only, as the consumer's own mean nothing to it.</summary>
    public AdminClientConfig AdminConfig() => new(new Dictionary<string, string>(Shared, StringComparer.Ordinal)) { BootstrapServers = Consumer.BootstrapServers };

    /// <summary>For log ends (watermark offsets): a consumer that never joins its group, with the shared properties.</summary>
    public ConsumerConfig LogEndConsumerConfig() =>
        new(new Dictionary<string, string>(Shared, StringComparer.Ordinal)) { BootstrapServers = Consumer.BootstrapServers, GroupId = "aero-log-end" };
}
