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
    private long _skipped;

    public long Read => Interlocked.Read(ref _read);

    public long Produced => Interlocked.Read(ref _produced);

    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    /// <summary>Dead letters per reason kind (the reason's prefix before the colon).</summary>
    public IReadOnlyDictionary<string, long> DeadLettersByReason => _byReason;

    public long Skipped => Interlocked.Read(ref _skipped);

    public bool Balances => Read == Produced + DeadLettered;

    /// <summary>An entry of the input left unread: not a record, so it does not enter <see cref="Balances"/>, but it is counted.</summary>
    public void CountSkipped(SkippedInput skipped)
    {
        ArgumentNullException.ThrowIfNull(skipped);
        Interlocked.Increment(ref _skipped);
    }

    internal void CountRead(long records) => Interlocked.Add(ref _read, records);

    internal void CountProduced(long records) => Interlocked.Add(ref _produced, records);

    internal void CountDeadLetter(string reason)
    {
        Interlocked.Increment(ref _deadLettered);
        _byReason.AddOrUpdate(RejectionReasons.KindOf(reason), 1, (_, n) => n + 1);
    }

    public override string ToString() =>
        $"read={Read} produced={Produced} dead_lettered={DeadLettered} skipped={Skipped}" +
        string.Concat(_byReason.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $" dlq[{r.Key}]={r.Value}"));
}
