using Aero.Kafka.Messages;

namespace Aero.Warehouse;

/// <summary>
/// What the load makes of one Kafka record, one of exactly two cases: a <see cref="LoadRow"/> (decoded, to store in
/// flights_raw) or a <see cref="DeadLetter"/> (its bytes and why, to store in dlq). No other case can be derived.
/// </summary>
public abstract record LoadRecord
{
    private protected LoadRecord(KafkaPosition position) => Position = position;

    /// <summary>Where the record sat in Kafka.</summary>
    public KafkaPosition Position { get; init; }
}
