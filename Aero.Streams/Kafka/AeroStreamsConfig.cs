using Akka.Configuration;

namespace Aero.Streams.Kafka;

/// <summary>The embedded <c>reference.conf</c> of Aero.Streams: every default with its comment.</summary>
public static class AeroStreamsConfig
{
    private static readonly Lazy<Config> Reference = new(() =>
    {
        using var stream = typeof(AeroStreamsConfig).Assembly.GetManifestResourceStream("Aero.Streams.reference.conf")
            ?? throw new InvalidOperationException("Aero.Streams.reference.conf is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    });

    public static Config Default => Reference.Value;

    /// <summary>The given configuration with the reference defaults behind it.</summary>
    public static Config WithDefaults(Config? config) =>
        config is null || config.IsEmpty ? Default : config.WithFallback(Default);
}
