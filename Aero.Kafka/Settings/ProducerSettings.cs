using Akka.Actor;
using Akka.Configuration;

namespace Aero.Kafka.Settings;

/// <summary>
/// Immutable producer settings, read from <c>aero.kafka.producer</c> (defaults and why in reference.conf: acks=all and
/// idempotence are on).
/// </summary>
public sealed record ProducerSettings
{
    private const string Section = "aero.kafka.producer";

    public required string BootstrapServers { get; init; }
    public required int Parallelism { get; init; }
    public required TimeSpan FlushTimeout { get; init; }
    public required IReadOnlyDictionary<string, string> Properties { get; init; }

    public static ProducerSettings Create(Config? config = null)
    {
        var kafka = AeroKafkaConfig.WithDefaults(config).GetConfig("aero.kafka");
        var producer = kafka.GetConfig("producer");
        return new ProducerSettings
        {
            BootstrapServers = kafka.GetString("bootstrap-servers"),
            Parallelism = SettingsValues.Positive($"{Section}.parallelism", producer.GetInt("parallelism")),
            FlushTimeout = SettingsValues.NotNegative($"{Section}.flush-timeout", producer.GetTimeSpan("flush-timeout")),
            Properties = KafkaClientProperties.For(kafka, producer),
        };
    }

    /// <summary>Settings from the actor system's configuration.</summary>
    public static ProducerSettings Create(ActorSystem system) => Create(system.Settings.Config);

    public ProducerSettings WithBootstrapServers(string bootstrapServers) => this with { BootstrapServers = bootstrapServers };

    public ProducerSettings WithParallelism(int parallelism) => this with { Parallelism = SettingsValues.Positive($"{Section}.parallelism", parallelism) };

    public ProducerSettings WithFlushTimeout(TimeSpan timeout) => this with { FlushTimeout = SettingsValues.NotNegative($"{Section}.flush-timeout", timeout) };

    public ProducerSettings WithProperty(string key, string value) =>
        this with { Properties = new Dictionary<string, string>(Properties) { [key] = value } };

    /// <summary>The full librdkafka configuration the producer is built from.</summary>
    public Dictionary<string, string> ToClientConfig()
    {
        if (string.IsNullOrWhiteSpace(BootstrapServers))
        {
            throw new InvalidOperationException("aero.kafka.bootstrap-servers is empty: set it (or KAFKA_BOOTSTRAP_SERVERS), or start the embedded Kafka.");
        }

        return new Dictionary<string, string>(Properties, StringComparer.Ordinal) { ["bootstrap.servers"] = BootstrapServers };
    }
}
