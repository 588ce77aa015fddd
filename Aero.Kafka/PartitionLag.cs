namespace Aero.Kafka;

/// <summary>A consumer group's lag on one partition: records in the log after the group's position.</summary>
public sealed record PartitionLag(string Group, string Topic, int Partition, long Lag);
