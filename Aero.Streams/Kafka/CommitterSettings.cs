using Akka.Configuration;

namespace Aero.Streams.Kafka;

/// <summary>Immutable committer settings, read from <c>aero.kafka.committer</c>.</summary>
public sealed record CommitterSettings
{
    public required int MaxBatch { get; init; }
    public required TimeSpan MaxInterval { get; init; }
    public required CommitFailure CommitFailure { get; init; }

    public static CommitterSettings Create(Config? config = null)
    {
        var committer = AeroStreamsConfig.WithDefaults(config).GetConfig("aero.kafka.committer");
        return new CommitterSettings
        {
            MaxBatch = committer.GetInt("max-batch"),
            MaxInterval = committer.GetTimeSpan("max-interval"),
            CommitFailure = ParseCommitFailure("aero.kafka.committer.commit-failure", committer.GetString("commit-failure")),
        };
    }

    /// <summary>Reads fail or warn; anything else is an error naming <paramref name="key"/>.</summary>
    public static CommitFailure ParseCommitFailure(string key, string? text) => text?.ToLowerInvariant() switch
    {
        "fail" => CommitFailure.Fail,
        "warn" => CommitFailure.Warn,
        _ => throw new ConfigurationException($"{key} = \"{text}\" is not valid: expected fail or warn."),
    };

    public CommitterSettings WithMaxBatch(int maxBatch) =>
        maxBatch < 1 ? throw new ArgumentOutOfRangeException(nameof(maxBatch)) : this with { MaxBatch = maxBatch };

    public CommitterSettings WithMaxInterval(TimeSpan maxInterval) => this with { MaxInterval = maxInterval };

    public CommitterSettings WithCommitFailure(CommitFailure commitFailure) => this with { CommitFailure = commitFailure };
}
