using Confluent.Kafka;

namespace Aero.Streams.Kafka;

/// <summary>A consumed record with the offset to commit once it was handled.</summary>
public sealed record CommittableMessage(ConsumeResult<byte[], byte[]> Record, CommittableOffset Offset);
