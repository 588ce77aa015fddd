using Akka.Configuration;

namespace Aero.Streams.Kafka;

/// <summary>Immutable committer settings, read from <c>aero.kafka.committer</c>.</summary>
public sealed record CommitterSettings
{
    public required int MaxBatch { get; init; }
    public required TimeSpan MaxInterval { get; init; }

    public static CommitterSettings Create(Config? config = null)
    {
        var committer = AeroStreamsConfig.WithDefaults(config).GetConfig("aero.kafka.committer");
        return new CommitterSettings
        {
            MaxBatch = committer.GetInt("max-batch"),
            MaxInterval = committer.GetTimeSpan("max-interval"),
        };
    }

    public CommitterSettings WithMaxBatch(int maxBatch) =>
        maxBatch < 1 ? throw new ArgumentOutOfRangeException(nameof(maxBatch)) : this with { MaxBatch = maxBatch };

    public CommitterSettings WithMaxInterval(TimeSpan maxInterval) => this with { MaxInterval = maxInterval };
}
