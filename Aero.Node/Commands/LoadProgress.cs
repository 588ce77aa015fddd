using System.Collections.Concurrent;
using Aero.Streams.Load;

namespace Aero.Node.Commands;

/// <summary>Counts what this node's load graph stored, and the next offsets its batches stored.</summary>
public sealed class LoadProgress
{
    private readonly ConcurrentDictionary<int, long> _nextOffsets;
    private long _stored;
    private long _alreadyStored;
    private long _deadLettered;

    public LoadProgress(IReadOnlyDictionary<int, long> storedOffsets) => _nextOffsets = new ConcurrentDictionary<int, long>(storedOffsets);

    public long Stored => Interlocked.Read(ref _stored);

    public long AlreadyStored => Interlocked.Read(ref _alreadyStored);

    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    public void OnLoaded(LoadedBatch batch)
    {
        Interlocked.Add(ref _stored, batch.Result.Inserted);
        Interlocked.Add(ref _alreadyStored, batch.Result.AlreadyStored);
        Interlocked.Add(ref _deadLettered, batch.Result.DeadLettered);
        foreach (var ((_, partition), next) in batch.NextOffsets)
        {
            _nextOffsets.AddOrUpdate(partition, next, (_, known) => Math.Max(known, next));
        }
    }

    /// <summary>
    /// The warehouse's offsets as read (every node's) merged with this node's latest batches, which are stored too:
    /// the higher of the two per partition.
    /// </summary>
    public IReadOnlyDictionary<int, long> Merge(IReadOnlyDictionary<int, long> stored)
    {
        var merged = new Dictionary<int, long>(_nextOffsets);
        foreach (var (partition, next) in stored)
        {
            merged[partition] = Math.Max(merged.GetValueOrDefault(partition), next);
        }

        return merged;
    }
}
