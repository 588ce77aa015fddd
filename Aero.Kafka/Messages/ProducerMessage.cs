namespace Aero.Kafka.Messages;

/// <summary>
/// What a producer stage takes: zero, one or several records, and a pass-through value (such as the offset to
/// commit) that comes out with the result once every record was acknowledged.
/// </summary>
public sealed record ProducerMessage<TPassThrough>(IReadOnlyList<ProducerRecord> Records, TPassThrough PassThrough)
{
    public static ProducerMessage<TPassThrough> Of(ProducerRecord record, TPassThrough passThrough) => new([record], passThrough);

    public static ProducerMessage<TPassThrough> Of(IReadOnlyList<ProducerRecord> records, TPassThrough passThrough) => new(records, passThrough);

    /// <summary>Sends nothing; the pass-through still comes out, in order.</summary>
    public static ProducerMessage<TPassThrough> PassThroughOnly(TPassThrough passThrough) => new([], passThrough);
}
