using Confluent.Kafka;

namespace Aero.Kafka.Messages;

/// <summary>One record to send. No partition means the producer's partitioner picks one from the key.</summary>
public sealed record ProducerRecord(string Topic, byte[]? Key, byte[] Value, Headers? Headers = null, int? Partition = null);
