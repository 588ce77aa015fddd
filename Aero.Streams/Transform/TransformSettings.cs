using Aero.Kafka.Settings;
using Akka.Actor;
using Akka.Configuration;

namespace Aero.Streams.Transform;

/// <summary>
/// How records are transformed (<c>aero.transform</c>, defaults and why in reference.conf): the airports reference, what
/// an unknown airport does, the delay categories' thresholds, the processed topic. Every value is checked, read or set
/// with a <c>With*</c> copy, and an error names its key.
/// </summary>
public sealed record TransformSettings
{
    private const string Section = "aero.transform";
    private const int MaxThresholdMinutes = 1440;

    public required string Airports { get; init; }
    public required UnknownAirportPolicy UnknownAirport { get; init; }
    public required DelayCategories DelayCategories { get; init; }
    public required string Topic { get; init; }

    public static TransformSettings Create(Config? config = null)
    {
        var transform = AeroStreamsConfig.WithDefaults(config).GetConfig(Section);
        return new TransformSettings
        {
            Airports = NotEmpty("airports", transform.GetString("airports")),
            UnknownAirport = ParseUnknownAirport(transform.GetString("unknown-airport")),
            DelayCategories = Checked(new DelayCategories(
                transform.GetInt("delay-categories.on-time"),
                transform.GetInt("delay-categories.minor"),
                transform.GetInt("delay-categories.moderate"))),
            Topic = NotEmpty("topic", transform.GetString("topic")),
        };
    }

    /// <summary>Settings from the actor system's configuration.</summary>
    public static TransformSettings Create(ActorSystem system) => Create(system.Settings.Config);

    public TransformSettings WithAirports(string path) => this with { Airports = NotEmpty("airports", path) };

    public TransformSettings WithUnknownAirport(UnknownAirportPolicy policy) => this with { UnknownAirport = policy };

    public TransformSettings WithDelayCategories(DelayCategories categories) => this with { DelayCategories = Checked(categories) };

    public TransformSettings WithTopic(string topic) => this with { Topic = NotEmpty("topic", topic) };

    /// <summary>
    /// The airports file: a relative path against the working directory, else beside the executable (where the bundled
    /// copy lives).
    /// </summary>
    public string ResolvedAirports()
    {
        if (Path.IsPathRooted(Airports) || File.Exists(Airports))
        {
            return Airports;
        }

        var besideExecutable = Path.Combine(AppContext.BaseDirectory, Airports);
        return File.Exists(besideExecutable) ? besideExecutable : Airports;
    }

    private static DelayCategories Checked(DelayCategories categories)
    {
        SettingsValues.Between($"{Section}.delay-categories.on-time", categories.OnTimeMaxMinutes, -MaxThresholdMinutes, MaxThresholdMinutes);
        SettingsValues.Between($"{Section}.delay-categories.minor", categories.MinorMaxMinutes, -MaxThresholdMinutes, MaxThresholdMinutes);
        SettingsValues.Between($"{Section}.delay-categories.moderate", categories.ModerateMaxMinutes, -MaxThresholdMinutes, MaxThresholdMinutes);
        if (categories.OnTimeMaxMinutes >= categories.MinorMaxMinutes || categories.MinorMaxMinutes >= categories.ModerateMaxMinutes)
        {
            throw new ConfigurationException(
                $"{Section}.delay-categories: on-time ({categories.OnTimeMaxMinutes}) < minor ({categories.MinorMaxMinutes}) < moderate ({categories.ModerateMaxMinutes}) is expected, " +
                "each the upper bound of its category in minutes.");
        }

        return categories;
    }

    private static UnknownAirportPolicy ParseUnknownAirport(string? value) => value switch
    {
        "keep" => UnknownAirportPolicy.Keep,
        "dead-letter" => UnknownAirportPolicy.DeadLetter,
        _ => throw new ConfigurationException($"{Section}.unknown-airport = \"{value}\": expected keep or dead-letter."),
    };

    private static string NotEmpty(string key, string? value) =>
        string.IsNullOrWhiteSpace(value) ? throw new ConfigurationException($"{Section}.{key} must not be empty.") : value;
}
