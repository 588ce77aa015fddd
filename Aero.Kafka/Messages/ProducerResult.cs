using Confluent.Kafka;

namespace Aero.Kafka.Messages;

/// <summary>The acknowledged records of one message (with their partitions and offsets) and its pass-through.</summary>
public sealed record ProducerResult<TPassThrough>(IReadOnlyList<DeliveryResult<byte[], byte[]>> Deliveries, TPassThrough PassThrough);
