using Akka.Actor;
using Akka.Configuration;

namespace Aero.Kafka.Settings;

/// <summary>
/// Immutable consumer settings, read from <c>aero.kafka.consumer</c> (defaults and why in reference.conf); every number
/// is range-checked, read or set with a <c>With*</c> copy, and an error names its key.
/// </summary>
public sealed record ConsumerSettings
{
    private const string Section = "aero.kafka.consumer";

    public required string BootstrapServers { get; init; }
    public required string GroupId { get; init; }
    public required TimeSpan PollTimeout { get; init; }
    public required int MaxPollRecords { get; init; }
    public required int PartitionBufferSize { get; init; }
    public required OffsetReset InitialOffset { get; init; }
    public required OffsetReset OffsetOutOfRange { get; init; }
    public required TimeSpan CommitTimeout { get; init; }
    public required TimeSpan CommitTimeWarning { get; init; }
    public required TimeSpan CommitRetryBackoff { get; init; }
    public required TimeSpan StopTimeout { get; init; }
    public required TimeSpan CloseTimeout { get; init; }

    /// <summary>librdkafka properties, passed through unchanged after Aero's own keys are applied.</summary>
    public required IReadOnlyDictionary<string, string> Properties { get; init; }

    /// <summary>Settings from the <c>aero.kafka</c> section of <paramref name="config"/>, over the reference defaults.</summary>
    public static ConsumerSettings Create(Config? config = null)
    {
        var kafka = AeroKafkaConfig.WithDefaults(config).GetConfig("aero.kafka");
        var consumer = kafka.GetConfig("consumer");
        return new ConsumerSettings
        {
            BootstrapServers = kafka.GetString("bootstrap-servers"),
            GroupId = consumer.GetString("group-id"),
            PollTimeout = SettingsValues.Positive($"{Section}.poll-timeout", consumer.GetTimeSpan("poll-timeout")),
            MaxPollRecords = SettingsValues.Positive($"{Section}.max-poll-records", consumer.GetInt("max-poll-records")),
            PartitionBufferSize = SettingsValues.Positive($"{Section}.partition-buffer-size", consumer.GetInt("partition-buffer-size")),
            InitialOffset = ParseReset(consumer, "initial-offset", allowFail: false),
            OffsetOutOfRange = ParseReset(consumer, "offset-out-of-range", allowFail: true),
            CommitTimeout = SettingsValues.Positive($"{Section}.commit-timeout", consumer.GetTimeSpan("commit-timeout")),
            CommitTimeWarning = SettingsValues.Positive($"{Section}.commit-time-warning", consumer.GetTimeSpan("commit-time-warning")),
            CommitRetryBackoff = SettingsValues.NotNegative($"{Section}.commit-retry-backoff", consumer.GetTimeSpan("commit-retry-backoff")),
            StopTimeout = SettingsValues.NotNegative($"{Section}.stop-timeout", consumer.GetTimeSpan("stop-timeout")),
            CloseTimeout = SettingsValues.Positive($"{Section}.close-timeout", consumer.GetTimeSpan("close-timeout")),
            Properties = KafkaClientProperties.For(kafka, consumer),
        };
    }

    /// <summary>Settings from the actor system's configuration.</summary>
    public static ConsumerSettings Create(ActorSystem system) => Create(system.Settings.Config);

    public ConsumerSettings WithBootstrapServers(string bootstrapServers) => this with { BootstrapServers = bootstrapServers };

    public ConsumerSettings WithGroupId(string groupId) => this with { GroupId = groupId };

    public ConsumerSettings WithPollTimeout(TimeSpan pollTimeout) => this with { PollTimeout = SettingsValues.Positive($"{Section}.poll-timeout", pollTimeout) };

    public ConsumerSettings WithMaxPollRecords(int maxPollRecords) =>
        this with { MaxPollRecords = SettingsValues.Positive($"{Section}.max-poll-records", maxPollRecords) };

    public ConsumerSettings WithPartitionBufferSize(int size) => this with { PartitionBufferSize = SettingsValues.Positive($"{Section}.partition-buffer-size", size) };

    public ConsumerSettings WithInitialOffset(OffsetReset initialOffset) =>
        initialOffset == OffsetReset.Fail
            ? throw new ArgumentException($"{Section}.initial-offset must be earliest or latest", nameof(initialOffset))
            : this with { InitialOffset = initialOffset };

    public ConsumerSettings WithOffsetOutOfRange(OffsetReset reset) => this with { OffsetOutOfRange = reset };

    public ConsumerSettings WithCommitTimeout(TimeSpan timeout) => this with { CommitTimeout = SettingsValues.Positive($"{Section}.commit-timeout", timeout) };

    public ConsumerSettings WithCommitRetryBackoff(TimeSpan backoff) =>
        this with { CommitRetryBackoff = SettingsValues.NotNegative($"{Section}.commit-retry-backoff", backoff) };

    public ConsumerSettings WithStopTimeout(TimeSpan timeout) => this with { StopTimeout = SettingsValues.NotNegative($"{Section}.stop-timeout", timeout) };

    public ConsumerSettings WithCloseTimeout(TimeSpan timeout) => this with { CloseTimeout = SettingsValues.Positive($"{Section}.close-timeout", timeout) };

    /// <summary>Sets one librdkafka property, e.g. <c>session.timeout.ms</c>.</summary>
    public ConsumerSettings WithProperty(string key, string value) =>
        this with { Properties = new Dictionary<string, string>(Properties) { [key] = value } };

    /// <summary>Sets librdkafka properties, e.g. the embedded Kafka's <c>ConsumerProperties</c>.</summary>
    public ConsumerSettings WithProperties(IEnumerable<KeyValuePair<string, string>> properties)
    {
        var merged = new Dictionary<string, string>(Properties);
        foreach (var (key, value) in properties)
        {
            merged[key] = value;
        }

        return this with { Properties = merged };
    }

    /// <summary>The full librdkafka configuration the consumer is built from.</summary>
    public Dictionary<string, string> ToClientConfig()
    {
        if (string.IsNullOrWhiteSpace(BootstrapServers))
        {
            throw new InvalidOperationException("aero.kafka.bootstrap-servers is empty: set it (or KAFKA_BOOTSTRAP_SERVERS), or start the embedded Kafka.");
        }

        var config = new Dictionary<string, string>(Properties, StringComparer.Ordinal)
        {
            ["bootstrap.servers"] = BootstrapServers,
            ["group.id"] = GroupId,
            // Partitions without any offset start where initial-offset says; this setting only decides
            // what librdkafka does with an offset that fell out of range.
            ["auto.offset.reset"] = OffsetOutOfRange switch
            {
                OffsetReset.Earliest => "earliest",
                OffsetReset.Latest => "latest",
                _ => "error",
            },
            // Commits are Aero's: after the sink confirmed, never on a timer.
            ["enable.auto.commit"] = "false",
            ["enable.auto.offset.store"] = "false",
        };
        return config;
    }

    private static OffsetReset ParseReset(Config config, string key, bool allowFail)
    {
        var text = config.GetString(key);
        return text?.ToLowerInvariant() switch
        {
            "earliest" => OffsetReset.Earliest,
            "latest" => OffsetReset.Latest,
            "fail" when allowFail => OffsetReset.Fail,
            _ => throw new ConfigurationException(
                $"{Section}.{key} = \"{text}\" is not valid: expected earliest or latest{(allowFail ? " or fail" : "")}."),
        };
    }
}
