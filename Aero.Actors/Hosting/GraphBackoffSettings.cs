using Akka.Configuration;

namespace Aero.Actors.Hosting;

/// <summary>How a failed graph is restarted: <c>aero.graphs.backoff</c> (see hocon/aero.conf).</summary>
public sealed record GraphBackoffSettings(TimeSpan MinBackoff, TimeSpan MaxBackoff, double RandomFactor, int MaxRestarts)
{
    public static GraphBackoffSettings Create(Config config)
    {
        var section = "aero.graphs.backoff";
        var settings = new GraphBackoffSettings(
            config.GetTimeSpan($"{section}.min", TimeSpan.FromSeconds(1)),
            config.GetTimeSpan($"{section}.max", TimeSpan.FromSeconds(30)),
            config.GetDouble($"{section}.random-factor", 0.2),
            config.GetInt($"{section}.max-restarts", 10));
        return settings.Validate();
    }

    public GraphBackoffSettings WithMinBackoff(TimeSpan value) => (this with { MinBackoff = value }).Validate();

    public GraphBackoffSettings WithMaxBackoff(TimeSpan value) => (this with { MaxBackoff = value }).Validate();

    public GraphBackoffSettings WithRandomFactor(double value) => (this with { RandomFactor = value }).Validate();

    public GraphBackoffSettings WithMaxRestarts(int value) => (this with { MaxRestarts = value }).Validate();

    private GraphBackoffSettings Validate()
    {
        if (MinBackoff <= TimeSpan.Zero)
        {
            throw new ConfigurationException($"aero.graphs.backoff.min: expected a positive duration, got {MinBackoff}");
        }

        if (MaxBackoff < MinBackoff)
        {
            throw new ConfigurationException($"aero.graphs.backoff.max: expected a duration of at least min ({MinBackoff}), got {MaxBackoff}");
        }

        if (RandomFactor is < 0 or > 1)
        {
            throw new ConfigurationException($"aero.graphs.backoff.random-factor: expected a number from 0 to 1, got {RandomFactor}");
        }

        return MaxRestarts >= 0 ? this : throw new ConfigurationException($"aero.graphs.backoff.max-restarts: expected 0 or more, got {MaxRestarts}");
    }
}
