using Confluent.Kafka;

namespace Aero.Streams.Kafka;

/// <summary>The acknowledged records of one message (with their partitions and offsets) and its pass-through.</summary>
public sealed record ProducerResult<TPassThrough>(IReadOnlyList<DeliveryResult<byte[], byte[]>> Deliveries, TPassThrough PassThrough);
