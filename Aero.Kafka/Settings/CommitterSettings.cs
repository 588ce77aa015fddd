using Akka.Actor;
using Akka.Configuration;

namespace Aero.Kafka.Settings;

/// <summary>Immutable committer settings, read from <c>aero.kafka.committer</c> (defaults and why in reference.conf).</summary>
public sealed record CommitterSettings
{
    private const string Section = "aero.kafka.committer";

    public required int MaxBatch { get; init; }
    public required TimeSpan MaxInterval { get; init; }
    public required CommitFailure CommitFailure { get; init; }

    public static CommitterSettings Create(Config? config = null)
    {
        var committer = AeroKafkaConfig.WithDefaults(config).GetConfig(Section);
        return new CommitterSettings
        {
            MaxBatch = SettingsValues.Positive($"{Section}.max-batch", committer.GetInt("max-batch")),
            MaxInterval = SettingsValues.Positive($"{Section}.max-interval", committer.GetTimeSpan("max-interval")),
            CommitFailure = ParseCommitFailure($"{Section}.commit-failure", committer.GetString("commit-failure")),
        };
    }

    /// <summary>Settings from the actor system's configuration.</summary>
    public static CommitterSettings Create(ActorSystem system) => Create(system.Settings.Config);

    /// <summary>Reads fail or warn; anything else is an error naming <paramref name="key"/>.</summary>
    public static CommitFailure ParseCommitFailure(string key, string? text) => text?.ToLowerInvariant() switch
    {
        "fail" => CommitFailure.Fail,
        "warn" => CommitFailure.Warn,
        _ => throw new ConfigurationException($"{key} = \"{text}\" is not valid: expected fail or warn."),
    };

    public CommitterSettings WithMaxBatch(int maxBatch) => this with { MaxBatch = SettingsValues.Positive($"{Section}.max-batch", maxBatch) };

    public CommitterSettings WithMaxInterval(TimeSpan maxInterval) => this with { MaxInterval = SettingsValues.Positive($"{Section}.max-interval", maxInterval) };

    public CommitterSettings WithCommitFailure(CommitFailure commitFailure) => this with { CommitFailure = commitFailure };
}
