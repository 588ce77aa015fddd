using System.Collections.Concurrent;
using Aero.Streams.Warehouse;

namespace Aero.Node.Commands;

/// <summary>Counts what the load graph stored and tells when the warehouse has reached given offsets.</summary>
public sealed class LoadProgress
{
    private readonly ConcurrentDictionary<int, long> _nextOffsets;
    private readonly Lock _gate = new();
    private IReadOnlyDictionary<int, long>? _target;
    private TaskCompletionSource? _caughtUp;
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

        CheckCaughtUp();
    }

    /// <summary>Completes once every partition's stored next offset reached <paramref name="logEnd"/>.</summary>
    public Task CaughtUp(IReadOnlyDictionary<int, long> logEnd)
    {
        lock (_gate)
        {
            _target = logEnd;
            _caughtUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        CheckCaughtUp();
        return _caughtUp.Task;
    }

    private void CheckCaughtUp()
    {
        lock (_gate)
        {
            if (_target is not null && _target.All(end => _nextOffsets.GetValueOrDefault(end.Key) >= end.Value))
            {
                _caughtUp?.TrySetResult();
            }
        }
    }
}
