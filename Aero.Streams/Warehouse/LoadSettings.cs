using Aero.Kafka.Settings;
using Akka.Configuration;

namespace Aero.Streams.Warehouse;

/// <summary>How the load graph batches records into warehouse writes (<c>aero.load</c>).</summary>
public sealed record LoadSettings
{
    public required int BatchSize { get; init; }
    public required long BatchBytes { get; init; }
    public required TimeSpan BatchInterval { get; init; }
    public required int MaxPartitions { get; init; }
    public required CommitFailure KafkaCommitFailure { get; init; }

    public static LoadSettings Create(Config? config = null)
    {
        var load = AeroStreamsConfig.WithDefaults(config).GetConfig("aero.load");
        return new LoadSettings
        {
            BatchSize = Positive("batch-size", load.GetInt("batch-size")),
            BatchBytes = Positive("batch-bytes", load.GetByteSize("batch-bytes") ?? 0),
            BatchInterval = load.GetTimeSpan("batch-interval"),
            MaxPartitions = Positive("max-partitions", load.GetInt("max-partitions")),
            KafkaCommitFailure = CommitterSettings.ParseCommitFailure("aero.load.kafka-commit-failure", load.GetString("kafka-commit-failure")),
        };
    }

    public LoadSettings WithBatchSize(int size) => this with { BatchSize = Positive(nameof(size), size) };

    public LoadSettings WithBatchBytes(long bytes) => this with { BatchBytes = Positive(nameof(bytes), bytes) };

    public LoadSettings WithBatchInterval(TimeSpan interval) => this with { BatchInterval = interval };

    public LoadSettings WithMaxPartitions(int partitions) => this with { MaxPartitions = Positive(nameof(partitions), partitions) };

    private static T Positive<T>(string key, T value) where T : System.Numerics.INumber<T> =>
        value > T.Zero ? value : throw new ConfigurationException($"aero.load.{key}: expected a positive number, got {value}");
}
