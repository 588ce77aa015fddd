using Aero.Kafka.Settings;
using Akka.Actor;
using Akka.Configuration;

namespace Aero.Streams.Extract;

/// <summary>
/// Where extracted records go, read from <c>aero.extract</c> (defaults and why in reference.conf); every number is
/// range-checked, read or set with a <c>With*</c> copy, and an error names its key.
/// </summary>
public sealed record ExtractSettings
{
    private const string Section = "aero.extract";

    public required string RawTopic { get; init; }
    public required string DeadLetterTopic { get; init; }
    public required int DeadLetterMaxPayloadBytes { get; init; }

    /// <summary>The share of a run's records (0 to 1) that may be rejected before the run fails: <c>aero.extract.max-rejected-share</c>.</summary>
    public required double MaxRejectedShare { get; init; }

    public required ValidationSettings Validation { get; init; }

    public static ExtractSettings Create(Config? config = null)
    {
        var extract = AeroStreamsConfig.WithDefaults(config).GetConfig(Section);
        return new ExtractSettings
        {
            MaxRejectedShare = CheckedShare(extract.GetDouble("max-rejected-share")),
            RawTopic = extract.GetString("topics.raw"),
            DeadLetterTopic = extract.GetString("topics.dlq"),
            DeadLetterMaxPayloadBytes = SettingsValues.Positive($"{Section}.dlq-max-payload-bytes", extract.GetInt("dlq-max-payload-bytes")),
            Validation = ValidationSettings.Create(config),
        };
    }

    /// <summary>Settings from the actor system's configuration.</summary>
    public static ExtractSettings Create(ActorSystem system) => Create(system.Settings.Config);

    public ExtractSettings WithRawTopic(string topic) => this with { RawTopic = topic };

    public ExtractSettings WithDeadLetterTopic(string topic) => this with { DeadLetterTopic = topic };

    public ExtractSettings WithValidation(ValidationSettings validation) => this with { Validation = validation };

    public ExtractSettings WithMaxRejectedShare(double share) => this with { MaxRejectedShare = CheckedShare(share) };

    public ExtractSettings WithDeadLetterMaxPayloadBytes(int bytes) =>
        this with { DeadLetterMaxPayloadBytes = SettingsValues.Positive($"{Section}.dlq-max-payload-bytes", bytes) };

    private static double CheckedShare(double share) =>
        share is >= 0 and <= 1
            ? share
            : throw new ConfigurationException(FormattableString.Invariant($"{Section}.max-rejected-share = {share} is not valid: expected a share between 0 and 1 (0.1 is a tenth)."));
}
