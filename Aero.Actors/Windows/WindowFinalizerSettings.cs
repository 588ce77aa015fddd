using Aero.Kafka.Settings;
using Aero.Streams;
using Akka.Configuration;

namespace Aero.Actors.Windows;

/// <summary>The coordinator's finalizing (<c>aero.windows.finalizer</c>, defaults and why in Aero.Streams' reference.conf), checked naming the key.</summary>
public sealed record WindowFinalizerSettings
{
    private const string Section = "aero.windows.finalizer";

    public required TimeSpan TickInterval { get; init; }
    public required int MaxOpenWindows { get; init; }
    public required string PubSubTopic { get; init; }
    public required int LastFinalizedShown { get; init; }
    /// <summary>How long a round waits for Kafka to tell a partition's log end.</summary>
    public required TimeSpan LogEndTimeout { get; init; }
    /// <summary>The topic whose partitions' watermarks count (<c>aero.extract.topics.raw</c>).</summary>
    public required string Topic { get; init; }

    public static WindowFinalizerSettings Create(Config? config = null)
    {
        var all = AeroStreamsConfig.WithDefaults(config);
        var finalizer = all.GetConfig(Section);
        var topic = finalizer.GetString("pubsub-topic");
        return new WindowFinalizerSettings
        {
            TickInterval = SettingsValues.Positive($"{Section}.tick-interval", finalizer.GetTimeSpan("tick-interval")),
            MaxOpenWindows = SettingsValues.Positive($"{Section}.max-open-windows", finalizer.GetInt("max-open-windows")),
            PubSubTopic = string.IsNullOrWhiteSpace(topic) ? throw new ConfigurationException($"{Section}.pubsub-topic is empty: expected a topic name.") : topic,
            LastFinalizedShown = SettingsValues.Positive($"{Section}.last-finalized-shown", finalizer.GetInt("last-finalized-shown")),
            LogEndTimeout = SettingsValues.Positive($"{Section}.log-end-timeout", finalizer.GetTimeSpan("log-end-timeout")),
            Topic = all.GetString("aero.extract.topics.raw"),
        };
    }
}
