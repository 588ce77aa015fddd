using Aero.Kafka.Settings;
using Akka.Configuration;

namespace Aero.Warehouse;

/// <summary>The embedded <c>reference.conf</c> of Aero.Warehouse: every <c>aero.warehouse</c> default with its comment.</summary>
public static class AeroWarehouseConfig
{
    private static readonly Lazy<Config> Reference = new(() => ReferenceConfig.Read(typeof(AeroWarehouseConfig).Assembly, "Aero.Warehouse.reference.conf"));

    public static Config Default => Reference.Value;

    /// <summary>The given configuration with the reference defaults behind it.</summary>
    public static Config WithDefaults(Config? config) => ReferenceConfig.Behind(config, Default);
}
