using Aero.Kafka.Internal;

namespace Aero.Kafka.Messages;

/// <summary>The highest offset per partition out of many committables; committing it commits them all.</summary>
public sealed class CommittableOffsetBatch : ICommittable
{
    private readonly Dictionary<PartitionBuffer, long> _next = [];
    private PartitionBuffer? _last;
    private long _lastNext;

    /// <summary>How many offsets were added, not how many partitions they cover.</summary>
    public long Count { get; private set; }

    public bool IsEmpty => Count == 0;

    /// <summary>The next offsets (record offset + 1) per partition.</summary>
    public IReadOnlyDictionary<string, long> NextOffsets =>
        Flushed().ToDictionary(p => p.Key.ToString(), p => p.Value);

    public void Add(CommittableOffset offset)
    {
        Count++;
        var next = offset.Position.NextOffset;
        // Records arrive in runs per partition; keep the current run out of the dictionary.
        if (ReferenceEquals(_last, offset.Partition))
        {
            _lastNext = Math.Max(_lastNext, next);
            return;
        }

        Flush();
        _last = offset.Partition;
        _lastNext = next;
    }

    void ICommittable.AddTo(CommittableOffsetBatch batch)
    {
        foreach (var (partition, next) in Flushed())
        {
            batch.Merge(partition, next);
        }

        batch.Count += Count;
    }

    /// <summary>Commits every partition's next offset; completes when Kafka acknowledged the commit.</summary>
    public Task CommitAsync()
    {
        var byEngine = Flushed().GroupBy(p => p.Key.Engine).ToList();
        return byEngine.Count switch
        {
            0 => Task.CompletedTask,
            1 => byEngine[0].Key.CommitAsync(byEngine[0].ToDictionary(p => p.Key, p => p.Value)),
            _ => Task.WhenAll(byEngine.Select(g => g.Key.CommitAsync(g.ToDictionary(p => p.Key, p => p.Value)))),
        };
    }

    private Dictionary<PartitionBuffer, long> Flushed()
    {
        Flush();
        return _next;
    }

    private void Flush()
    {
        if (_last is not null)
        {
            var last = _last;
            _last = null;
            Merge(last, _lastNext);
        }
    }

    private void Merge(PartitionBuffer partition, long next)
    {
        Flush();
        if (!_next.TryGetValue(partition, out var known) || known < next)
        {
            _next[partition] = next;
        }
    }
}
