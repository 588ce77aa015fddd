using Aero.Actors.Configuration;
using Akka.Actor;
using Akka.Configuration;

namespace Aero.Node.Configuration;

/// <summary>The in-process Kafka started when no bootstrap is configured: <c>aero.embedded-kafka</c> (see hocon/aero.conf).</summary>
public sealed record EmbeddedKafkaSettings(int Brokers, int Partitions)
{
    public static EmbeddedKafkaSettings Create(ActorSystem system) => Create(system.Settings.Config);

    public static EmbeddedKafkaSettings Create(Config config) => new EmbeddedKafkaSettings(
        SettingsKeys.WholeNumber(config, "aero.embedded-kafka.brokers"),
        SettingsKeys.WholeNumber(config, "aero.embedded-kafka.partitions")).Validate();

    public EmbeddedKafkaSettings WithBrokers(int brokers) => (this with { Brokers = brokers }).Validate();

    public EmbeddedKafkaSettings WithPartitions(int partitions) => (this with { Partitions = partitions }).Validate();

    private EmbeddedKafkaSettings Validate()
    {
        if (Brokers < 1)
        {
            throw new ConfigurationException($"aero.embedded-kafka.brokers = {Brokers} is not valid: expected 1 or more.");
        }

        return Partitions >= 1
            ? this
            : throw new ConfigurationException($"aero.embedded-kafka.partitions = {Partitions} is not valid: expected 1 or more.");
    }
}
