using Confluent.Kafka;

namespace Aero.Kafka.Messages;

/// <summary>A consumed record with the offset to commit once it was handled.</summary>
public sealed record CommittableMessage(ConsumeResult<byte[], byte[]> Record, CommittableOffset Offset);
