namespace Aero.Streams.Warehouse;

/// <summary>Where a record sat in Kafka.</summary>
public readonly record struct KafkaPosition(string Topic, int Partition, long Offset, DateTime Timestamp);
