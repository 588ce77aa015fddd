namespace Aero.Streams.Windows;

/// <summary>Partitions' logs (<see cref="PartitionLog"/>) on the Kafka cluster <paramref name="ClusterId"/>.</summary>
public sealed record PartitionLogs(string ClusterId, IReadOnlyDictionary<int, PartitionLog> Partitions);
