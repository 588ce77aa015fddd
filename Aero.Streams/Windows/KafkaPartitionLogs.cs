using Aero.Kafka;
using Aero.Kafka.Settings;
using Confluent.Kafka;

namespace Aero.Streams.Windows;

/// <summary>
/// The partitions' logs as Kafka has them (their watermark offsets), read by a client of the finalizer's own that never
/// joins a group. It connects on the first read, so a node whose windows never need it opens no Kafka connection.
/// </summary>
public sealed class KafkaPartitionLogs(ConsumerSettings settings, TimeSpan timeout) : IPartitionLogs, IDisposable
{
    private readonly Lock _gate = new();
    private IConsumer<Ignore, Ignore>? _probe;
    private string? _clusterId;

    public Task<PartitionLogs> ReadAsync(string topic, IReadOnlyCollection<int> partitions, CancellationToken cancellationToken = default) =>
        Task.Run(() => Read(topic, partitions), cancellationToken);

    public void Dispose()
    {
        lock (_gate)
        {
            _probe?.Dispose();
            _probe = null;
        }
    }

    private PartitionLogs Read(string topic, IReadOnlyCollection<int> partitions)
    {
        lock (_gate)
        {
            _clusterId ??= KafkaCluster.GetClusterId(settings.BootstrapServers, settings.Properties, timeout);
            _probe ??= new ConsumerBuilder<Ignore, Ignore>(settings.ToClientConfig()).Build();
            var logs = new Dictionary<int, PartitionLog>();
            foreach (var partition in partitions)
            {
                var offsets = _probe.QueryWatermarkOffsets(new TopicPartition(topic, partition), timeout);
                logs[partition] = new PartitionLog(offsets.Low.Value, offsets.High.Value);
            }

            return new PartitionLogs(_clusterId, logs);
        }
    }
}
