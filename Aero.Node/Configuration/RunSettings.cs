using Akka.Configuration;

namespace Aero.Node.Configuration;

/// <summary>How <c>aero run --once</c> waits for the warehouse: <c>aero.run</c> (see hocon/aero.conf).</summary>
public sealed record RunSettings(TimeSpan OnceStallTimeout, TimeSpan OncePollInterval, TimeSpan OnceProgressInterval)
{
    public static RunSettings Create(Config config) => new RunSettings(
        config.GetTimeSpan("aero.run.once-stall-timeout"),
        config.GetTimeSpan("aero.run.once-poll-interval"),
        config.GetTimeSpan("aero.run.once-progress-interval")).Validate();

    public RunSettings WithOnceStallTimeout(TimeSpan value) => (this with { OnceStallTimeout = value }).Validate();

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
