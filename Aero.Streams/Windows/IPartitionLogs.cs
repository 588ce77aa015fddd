namespace Aero.Streams.Windows;

/// <summary>
/// Where a topic's partitions begin and end in Kafka, for the finalizer: only a partition read up to its log end may
/// count as idle. The warehouse cannot tell (a partition whose worker was killed, or whose load lags, stores no batch
/// either), so the answer comes from Kafka itself.
/// </summary>
public interface IPartitionLogs
{
    /// <summary>The logs of these partitions of <paramref name="topic"/>, and the id of the Kafka cluster they are on; throws when Kafka does not answer.</summary>
    Task<PartitionLogs> ReadAsync(string topic, IReadOnlyCollection<int> partitions, CancellationToken cancellationToken = default);
}
