using Akka.Configuration;

namespace Aero.Streams.Kafka;

/// <summary>Immutable producer settings, read from <c>aero.kafka.producer</c>. acks=all and idempotence are on by default.</summary>
public sealed record ProducerSettings
{
    public required string BootstrapServers { get; init; }
    public required int Parallelism { get; init; }
    public required TimeSpan FlushTimeout { get; init; }
    public required IReadOnlyDictionary<string, string> Properties { get; init; }

    public static ProducerSettings Create(Config? config = null)
    {
        var kafka = AeroStreamsConfig.WithDefaults(config).GetConfig("aero.kafka");
        var producer = kafka.GetConfig("producer");
        return new ProducerSettings
        {
            BootstrapServers = kafka.GetString("bootstrap-servers", ""),
            Parallelism = producer.GetInt("parallelism"),
            FlushTimeout = producer.GetTimeSpan("flush-timeout"),
            Properties = KafkaClientProperties.For(kafka, producer),
        };
    }

    public ProducerSettings WithBootstrapServers(string bootstrapServers) => this with { BootstrapServers = bootstrapServers };

    public ProducerSettings WithParallelism(int parallelism) =>
        parallelism < 1 ? throw new ArgumentOutOfRangeException(nameof(parallelism)) : this with { Parallelism = parallelism };

    public ProducerSettings WithFlushTimeout(TimeSpan timeout) => this with { FlushTimeout = timeout };

    public ProducerSettings WithProperty(string key, string value) =>
        this with { Properties = new Dictionary<string, string>(Properties) { [key] = value } };

    internal Dictionary<string, string> ToClientConfig()
    {
        if (string.IsNullOrWhiteSpace(BootstrapServers))
        {
            throw new InvalidOperationException("aero.kafka.bootstrap-servers is empty: set it (or KAFKA_BOOTSTRAP_SERVERS), or start the embedded Kafka.");
        }

        return new Dictionary<string, string>(Properties, StringComparer.Ordinal) { ["bootstrap.servers"] = BootstrapServers };
    }
}
