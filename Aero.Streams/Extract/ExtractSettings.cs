using Akka.Configuration;

namespace Aero.Streams.Extract;

/// <summary>Where extracted records go, read from <c>aero.extract</c>.</summary>
public sealed record ExtractSettings
{
    public required string RawTopic { get; init; }
    public required string DeadLetterTopic { get; init; }
    public required int DeadLetterMaxPayloadBytes { get; init; }

    /// <summary>The share of a run's records (0 to 1) that may be rejected before the run fails: <c>aero.extract.max-rejected-share</c>.</summary>
    public required double MaxRejectedShare { get; init; }

    public required ValidationSettings Validation { get; init; }

    public static ExtractSettings Create(Config? config = null)
    {
        var extract = AeroStreamsConfig.WithDefaults(config).GetConfig("aero.extract");
        var maxRejectedShare = extract.GetDouble("max-rejected-share");
        if (!(maxRejectedShare is >= 0 and <= 1))
        {
            throw new ConfigurationException(FormattableString.Invariant($"aero.extract.max-rejected-share = {maxRejectedShare} is not valid: expected a share between 0 and 1 (0.1 is a tenth)."));
        }

        return new ExtractSettings
        {
            MaxRejectedShare = maxRejectedShare,
            RawTopic = extract.GetString("topics.raw"),
            DeadLetterTopic = extract.GetString("topics.dlq"),
            DeadLetterMaxPayloadBytes = extract.GetInt("dlq-max-payload-bytes"),
            Validation = ValidationSettings.Create(config),
        };
    }

    public ExtractSettings WithRawTopic(string topic) => this with { RawTopic = topic };

    public ExtractSettings WithDeadLetterTopic(string topic) => this with { DeadLetterTopic = topic };

    public ExtractSettings WithValidation(ValidationSettings validation) => this with { Validation = validation };
}
