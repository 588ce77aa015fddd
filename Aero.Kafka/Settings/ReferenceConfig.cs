using System.Reflection;
using Akka.Configuration;

namespace Aero.Kafka.Settings;

/// <summary>How every Aero assembly reads the <c>reference.conf</c> it embeds, and puts it behind a configuration.</summary>
public static class ReferenceConfig
{
    /// <summary>Parses the embedded resource <paramref name="resource"/> of <paramref name="assembly"/>.</summary>
    public static Config Read(Assembly assembly, string resource)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"{resource} is not embedded in {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }

    /// <summary><paramref name="config"/> with <paramref name="defaults"/> behind it.</summary>
    public static Config Behind(Config? config, Config defaults) =>
        config is null || config.IsEmpty ? defaults : config.WithFallback(defaults);
}
