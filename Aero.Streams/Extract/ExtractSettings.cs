using Akka.Configuration;

namespace Aero.Streams.Extract;

/// <summary>Where extracted records go, read from <c>aero.extract</c>.</summary>
public sealed record ExtractSettings
{
    public required string RawTopic { get; init; }
    public required string DeadLetterTopic { get; init; }
    public required int DeadLetterMaxPayloadBytes { get; init; }
    public required ValidationSettings Validation { get; init; }

    public static ExtractSettings Create(Config? config = null)
    {
        var extract = Kafka.AeroStreamsConfig.WithDefaults(config).GetConfig("aero.extract");
        return new ExtractSettings
        {
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
