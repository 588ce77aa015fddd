using Aero.Kafka.Settings;
using Akka.Actor;
using Akka.Configuration;

namespace Aero.Streams.Windows;

/// <summary>
/// Event-time windows (<c>aero.windows</c>, defaults and why in reference.conf): the windows, which time places a record,
/// the watermark's out-of-orderness, allowed lateness, the idle timeout, and the dimensions; checked naming the key.
/// </summary>
public sealed record WindowSettings
{
    private const string Section = "aero.windows";

    public required WindowSpec Spec { get; init; }
    public required WindowEventTime EventTime { get; init; }
    public required TimeSpan OutOfOrderness { get; init; }
    public required TimeSpan AllowedLateness { get; init; }
    public required TimeSpan IdleTimeout { get; init; }
    public required IReadOnlyList<WindowDimension> Dimensions { get; init; }

    public static WindowSettings Create(Config? config = null)
    {
        var windows = AeroStreamsConfig.WithDefaults(config).GetConfig(Section);
        return new WindowSettings
        {
            Spec = WindowSpec.Create(windows.GetTimeSpan("size"), windows.GetTimeSpan("slide"), windows.GetTimeSpan("offset"), Section),
            EventTime = windows.GetString("event-time") switch
            {
                "scheduled-departure" => WindowEventTime.ScheduledDeparture,
                "event-time" => WindowEventTime.EventTime,
                var other => throw new ConfigurationException($"{Section}.event-time = \"{other}\": expected scheduled-departure or event-time."),
            },
            OutOfOrderness = SettingsValues.NotNegative($"{Section}.out-of-orderness", windows.GetTimeSpan("out-of-orderness")),
            AllowedLateness = SettingsValues.NotNegative($"{Section}.allowed-lateness", windows.GetTimeSpan("allowed-lateness")),
            IdleTimeout = SettingsValues.Positive($"{Section}.idle-timeout", windows.GetTimeSpan("idle-timeout")),
            Dimensions = ParseDimensions(windows.GetStringList("dimensions")),
        };
    }

    /// <summary>Settings from the actor system's configuration.</summary>
    public static WindowSettings Create(ActorSystem system) => Create(system.Settings.Config);

    private static List<WindowDimension> ParseDimensions(IList<string> names)
    {
        if (names.Count == 0)
        {
            throw new ConfigurationException($"{Section}.dimensions is empty: expected at least one of all, airline, origin, destination, route, delay-category.");
        }

        return [.. names.Select(name => name switch
        {
            "all" => WindowDimension.All,
            "airline" => WindowDimension.Airline,
            "origin" => WindowDimension.Origin,
            "destination" => WindowDimension.Destination,
            "route" => WindowDimension.Route,
            "delay-category" => WindowDimension.DelayCategory,
            _ => throw new ConfigurationException($"{Section}.dimensions: \"{name}\" is not one of all, airline, origin, destination, route, delay-category."),
        }).Distinct()];
    }
}
