using Akka.Configuration;

namespace Aero.Kafka.Settings;

/// <summary>The embedded <c>reference.conf</c> of Aero.Kafka: every <c>aero.kafka</c> default with its comment.</summary>
public static class AeroKafkaConfig
{
    private static readonly Lazy<Config> Reference = new(() => ReferenceConfig.Read(typeof(AeroKafkaConfig).Assembly, "Aero.Kafka.reference.conf"));

    public static Config Default => Reference.Value;

    /// <summary>The given configuration with the reference defaults behind it.</summary>
    public static Config WithDefaults(Config? config) => ReferenceConfig.Behind(config, Default);
}
