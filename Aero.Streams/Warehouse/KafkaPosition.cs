namespace Aero.Streams.Warehouse;

/// <summary>Where a record sat in Kafka; <see cref="Timestamp"/> is null for a record that carries none (message format v0).</summary>
public readonly record struct KafkaPosition(string Topic, int Partition, long Offset, DateTime? Timestamp);
