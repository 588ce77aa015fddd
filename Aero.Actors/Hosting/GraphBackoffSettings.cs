using Aero.Actors.Configuration;
using Akka.Actor;
using Akka.Configuration;

namespace Aero.Actors.Hosting;

/// <summary>
/// How a failed graph is restarted: <c>aero.graphs.backoff</c> (see hocon/aero.conf). A graph that fails more than
/// <see cref="MaxRestarts"/> times with the same cause within <see cref="RestartWindow"/> stops the node.
/// </summary>
public sealed record GraphBackoffSettings(TimeSpan MinBackoff, TimeSpan MaxBackoff, double RandomFactor, int MaxRestarts, TimeSpan RestartWindow)
{
    public static GraphBackoffSettings Create(ActorSystem system) => Create(system.Settings.Config);

    public static GraphBackoffSettings Create(Config config) => new GraphBackoffSettings(
        SettingsKeys.Duration(config, "aero.graphs.backoff.min"),
        SettingsKeys.Duration(config, "aero.graphs.backoff.max"),
        SettingsKeys.Number(config, "aero.graphs.backoff.random-factor"),
        SettingsKeys.WholeNumber(config, "aero.graphs.backoff.max-restarts"),
        SettingsKeys.Duration(config, "aero.graphs.backoff.restart-window")).Validate();

    public GraphBackoffSettings WithMinBackoff(TimeSpan value) => (this with { MinBackoff = value }).Validate();

    public GraphBackoffSettings WithMaxBackoff(TimeSpan value) => (this with { MaxBackoff = value }).Validate();

    public GraphBackoffSettings WithRandomFactor(double value) => (this with { RandomFactor = value }).Validate();

    public GraphBackoffSettings WithMaxRestarts(int value) => (this with { MaxRestarts = value }).Validate();

    public GraphBackoffSettings WithRestartWindow(TimeSpan value) => (this with { RestartWindow = value }).Validate();

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

        if (RestartWindow <= TimeSpan.Zero)
        {
            throw new ConfigurationException($"aero.graphs.backoff.restart-window: expected a positive duration, got {RestartWindow}");
        }

        return MaxRestarts >= 0 ? this : throw new ConfigurationException($"aero.graphs.backoff.max-restarts: expected 0 or more, got {MaxRestarts}");
    }
}
