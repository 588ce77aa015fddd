using Aero.Actors.Configuration;
using Akka.Actor;
using Akka.Configuration;

namespace Aero.Node.Configuration;

/// <summary>How long a draining stop may take: <c>aero.drain-timeout</c> (see hocon/aero.conf).</summary>
public sealed record DrainSettings(TimeSpan Timeout)
{
    public static DrainSettings Create(ActorSystem system) => Create(system.Settings.Config);

    public static DrainSettings Create(Config config) => new DrainSettings(SettingsKeys.Duration(config, "aero.drain-timeout")).Validate();

    public DrainSettings WithTimeout(TimeSpan timeout) => (this with { Timeout = timeout }).Validate();

    private DrainSettings Validate() => Timeout > TimeSpan.Zero
        ? this
        : throw new ConfigurationException($"aero.drain-timeout = {Timeout} is not valid: expected a positive duration.");
}
