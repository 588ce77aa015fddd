using Aero.Kafka.Settings;
using Akka.Actor;
using Akka.Configuration;

namespace Aero.Streams.Load;

/// <summary>
/// How the load graph batches records into warehouse writes (<c>aero.load</c>, defaults and why in reference.conf); every
/// number is range-checked, read or set with a <c>With*</c> copy, and an error names its key.
/// </summary>
public sealed record LoadSettings
{
    private const string Section = "aero.load";

    public required int BatchSize { get; init; }
    public required long BatchBytes { get; init; }
    public required TimeSpan BatchInterval { get; init; }
    public required int MaxPartitions { get; init; }
    public required CommitFailure KafkaCommitFailure { get; init; }

    public static LoadSettings Create(Config? config = null)
    {
        var load = AeroStreamsConfig.WithDefaults(config).GetConfig(Section);
        return new LoadSettings
        {
            BatchSize = SettingsValues.Positive($"{Section}.batch-size", load.GetInt("batch-size")),
            BatchBytes = SettingsValues.Positive($"{Section}.batch-bytes", load.GetByteSize("batch-bytes") ?? 0),
            BatchInterval = SettingsValues.Positive($"{Section}.batch-interval", load.GetTimeSpan("batch-interval")),
            MaxPartitions = SettingsValues.Positive($"{Section}.max-partitions", load.GetInt("max-partitions")),
            KafkaCommitFailure = CommitterSettings.ParseCommitFailure($"{Section}.kafka-commit-failure", load.GetString("kafka-commit-failure")),
        };
    }

    /// <summary>Settings from the actor system's configuration.</summary>
    public static LoadSettings Create(ActorSystem system) => Create(system.Settings.Config);

    public LoadSettings WithBatchSize(int size) => this with { BatchSize = SettingsValues.Positive($"{Section}.batch-size", size) };

    public LoadSettings WithBatchBytes(long bytes) => this with { BatchBytes = SettingsValues.Positive($"{Section}.batch-bytes", bytes) };

    public LoadSettings WithBatchInterval(TimeSpan interval) => this with { BatchInterval = SettingsValues.Positive($"{Section}.batch-interval", interval) };

    public LoadSettings WithMaxPartitions(int partitions) => this with { MaxPartitions = SettingsValues.Positive($"{Section}.max-partitions", partitions) };
}
