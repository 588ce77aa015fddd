using System.Collections.Concurrent;

namespace Aero.Kafka.Tests;

/// <summary>Counts how often each (partition, offset) was processed, and by which consumer.</summary>
public sealed class OffsetLedger
{
    private readonly ConcurrentDictionary<(int Partition, long Offset), int> _counts = new();
    private readonly ConcurrentDictionary<(string Consumer, int Partition), ConcurrentBag<long>> _byConsumer = new();
    private int _total;

    public int Total => Volatile.Read(ref _total);

    public int Distinct => _counts.Count;

    public void Record(string consumer, int partition, long offset)
    {
        _counts.AddOrUpdate((partition, offset), 1, (_, n) => n + 1);
        _byConsumer.GetOrAdd((consumer, partition), _ => []).Add(offset);
        Interlocked.Increment(ref _total);
    }

    /// <summary>Offsets of the log that were never processed.</summary>
    public IReadOnlyList<(int Partition, long Offset)> Missing(IReadOnlyDictionary<int, long> logEnd) =>
        logEnd.SelectMany(p => Enumerable.Range(0, (int)p.Value).Select(o => (p.Key, (long)o)))
            .Where(key => !_counts.ContainsKey(key))
            .ToList();

    public IReadOnlyList<(int Partition, long Offset)> Duplicates =>
        _counts.Where(c => c.Value > 1).Select(c => c.Key).OrderBy(k => k).ToList();

    public IReadOnlyList<long> Offsets(string consumer, int partition) =>
        _byConsumer.TryGetValue((consumer, partition), out var offsets) ? [.. offsets.Order()] : [];

    public long MaxOffset(int partition) => _counts.Keys.Where(k => k.Partition == partition).Select(k => k.Offset).DefaultIfEmpty(-1).Max();
}
