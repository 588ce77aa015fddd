using Aero.Kafka.Settings;
using Aero.Warehouse;
using Akka.Configuration;

namespace Aero.Streams;

/// <summary>
/// The embedded <c>reference.conf</c> of Aero.Streams (every <c>aero.load</c> and <c>aero.extract</c> default with its
/// comment), with the references of the assemblies its graphs join behind it.
/// </summary>
public static class AeroStreamsConfig
{
    private static readonly Lazy<Config> Reference = new(() =>
        ReferenceConfig.Read(typeof(AeroStreamsConfig).Assembly, "Aero.Streams.reference.conf").WithFallback(AeroWarehouseConfig.Default).WithFallback(AeroKafkaConfig.Default));

    public static Config Default => Reference.Value;

    /// <summary>The given configuration with the reference defaults behind it.</summary>
    public static Config WithDefaults(Config? config) => ReferenceConfig.Behind(config, Default);
}
