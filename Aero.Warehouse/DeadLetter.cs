using Aero.Kafka.Messages;

namespace Aero.Warehouse;

/// <summary>A record that could not be loaded: its original bytes and why.</summary>
public sealed record DeadLetter(byte[] Payload, string Reason, KafkaPosition Position) : LoadRecord(Position);
