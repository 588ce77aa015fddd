using System.Collections.Concurrent;

namespace Aero.Streams.Extract;

/// <summary>
/// Counts of an extract, updated as Kafka acknowledges each record, readable while it runs (for progress).
/// Every record read ends produced or dead-lettered: <see cref="Balances"/> checks it.
/// </summary>
public sealed class ExtractTally
{
    private readonly ConcurrentDictionary<string, long> _byReason = new(StringComparer.Ordinal);
    private long _read;
    private long _produced;
    private long _deadLettered;

    public long Read => Interlocked.Read(ref _read);

    public long Produced => Interlocked.Read(ref _produced);

    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    /// <summary>Dead letters per reason kind (the reason's prefix before the colon).</summary>
    public IReadOnlyDictionary<string, long> DeadLettersByReason => _byReason;

    public bool Balances => Read == Produced + DeadLettered;

    internal void CountRead(long records) => Interlocked.Add(ref _read, records);

    internal void CountProduced(long records) => Interlocked.Add(ref _produced, records);

    internal void CountDeadLetter(string reason)
    {
        Interlocked.Increment(ref _deadLettered);
        _byReason.AddOrUpdate(RejectionReasons.KindOf(reason), 1, (_, n) => n + 1);
    }

    public override string ToString() =>
        $"read={Read} produced={Produced} dead_lettered={DeadLettered}" +
        string.Concat(_byReason.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $" dlq[{r.Key}]={r.Value}"));
}
