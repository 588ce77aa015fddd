using Akka.Actor;
using Akka.Configuration;

namespace Aero.Streams.Extract;

/// <summary>
/// Plausible ranges for validation, read from <c>aero.extract.validation</c> (defaults and why in reference.conf); a
/// range whose minimum lies above its maximum is refused, read or set, naming its key.
/// </summary>
public sealed record ValidationSettings
{
    private const string Section = "aero.extract.validation";

    public required PlausibleRange DelayMinutes { get; init; }
    public required PlausibleRange AltitudeMetres { get; init; }
    public required PlausibleRange SpeedMetresPerSecond { get; init; }
    public required PlausibleRange DistanceMiles { get; init; }

    public static ValidationSettings Create(Config? config = null)
    {
        var validation = AeroStreamsConfig.WithDefaults(config).GetConfig(Section);
        PlausibleRange Range(string key) => Checked(key, new(validation.GetDouble($"{key}.min"), validation.GetDouble($"{key}.max")));
        return new ValidationSettings
        {
            DelayMinutes = Range("delay-minutes"),
            AltitudeMetres = Range("altitude-metres"),
            SpeedMetresPerSecond = Range("speed-metres-per-second"),
            DistanceMiles = Range("distance-miles"),
        };
    }

    /// <summary>Settings from the actor system's configuration.</summary>
    public static ValidationSettings Create(ActorSystem system) => Create(system.Settings.Config);

    public ValidationSettings WithDelayMinutes(PlausibleRange range) => this with { DelayMinutes = Checked("delay-minutes", range) };

    public ValidationSettings WithAltitudeMetres(PlausibleRange range) => this with { AltitudeMetres = Checked("altitude-metres", range) };

    public ValidationSettings WithSpeedMetresPerSecond(PlausibleRange range) => this with { SpeedMetresPerSecond = Checked("speed-metres-per-second", range) };

    public ValidationSettings WithDistanceMiles(PlausibleRange range) => this with { DistanceMiles = Checked("distance-miles", range) };

    private static PlausibleRange Checked(string key, PlausibleRange range) =>
        range.Min <= range.Max
            ? range
            : throw new ConfigurationException(FormattableString.Invariant($"{Section}.{key} = {{ min = {range.Min}, max = {range.Max} }}: expected min at most max."));
}
