using Akka.Configuration;

namespace Aero.Streams.Extract;

/// <summary>Plausible ranges for validation, read from <c>aero.extract.validation</c>.</summary>
public sealed record ValidationSettings
{
    public required PlausibleRange DelayMinutes { get; init; }
    public required PlausibleRange AltitudeMetres { get; init; }
    public required PlausibleRange SpeedMetresPerSecond { get; init; }
    public required PlausibleRange DistanceMiles { get; init; }

    public static ValidationSettings Create(Config? config = null)
    {
        var validation = AeroStreamsConfig.WithDefaults(config).GetConfig("aero.extract.validation");
        PlausibleRange Range(string key) => new(validation.GetDouble($"{key}.min"), validation.GetDouble($"{key}.max"));
        return new ValidationSettings
        {
            DelayMinutes = Range("delay-minutes"),
            AltitudeMetres = Range("altitude-metres"),
            SpeedMetresPerSecond = Range("speed-metres-per-second"),
            DistanceMiles = Range("distance-miles"),
        };
    }

    public ValidationSettings WithDelayMinutes(PlausibleRange range) => this with { DelayMinutes = range };

    public ValidationSettings WithAltitudeMetres(PlausibleRange range) => this with { AltitudeMetres = range };

    public ValidationSettings WithSpeedMetresPerSecond(PlausibleRange range) => this with { SpeedMetresPerSecond = range };

    public ValidationSettings WithDistanceMiles(PlausibleRange range) => this with { DistanceMiles = range };
}
