using Aero.Actors.Configuration;
using Akka.Actor;
using Akka.Configuration;

namespace Aero.Node.Configuration;

/// <summary>How <c>aero run --once</c> waits for the warehouse: <c>aero.run</c> (see hocon/aero.conf).</summary>
public sealed record RunSettings(TimeSpan OnceStallTimeout, TimeSpan OncePollInterval, TimeSpan OnceProgressInterval)
{
    public static RunSettings Create(ActorSystem system) => Create(system.Settings.Config);

    public static RunSettings Create(Config config) => new RunSettings(
        SettingsKeys.Duration(config, "aero.run.once-stall-timeout"),
        SettingsKeys.Duration(config, "aero.run.once-poll-interval"),
        SettingsKeys.Duration(config, "aero.run.once-progress-interval")).Validate();

    public RunSettings WithOnceStallTimeout(TimeSpan value) => (this with { OnceStallTimeout = value }).Validate();

    public RunSettings WithOncePollInterval(TimeSpan value) => (this with { OncePollInterval = value }).Validate();

    public RunSettings WithOnceProgressInterval(TimeSpan value) => (this with { OnceProgressInterval = value }).Validate();

    private RunSettings Validate()
    {
        Positive(OnceStallTimeout, "aero.run.once-stall-timeout");
        Positive(OncePollInterval, "aero.run.once-poll-interval");
        Positive(OnceProgressInterval, "aero.run.once-progress-interval");
        return OnceStallTimeout > OncePollInterval
            ? this
            : throw new ConfigurationException($"aero.run.once-stall-timeout = {OnceStallTimeout} is not valid: expected more than aero.run.once-poll-interval ({OncePollInterval}).");
    }

    private static void Positive(TimeSpan value, string key)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ConfigurationException($"{key} = {value} is not valid: expected a positive duration.");
        }
    }
}
