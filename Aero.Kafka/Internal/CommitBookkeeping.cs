using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Event;
using Confluent.Kafka;

namespace Aero.Kafka.Internal;

/// <summary>
/// What the consumer owes the stream in commits: requests as they arrive, the next offset pending per partition
/// assignment (a <see cref="PartitionBuffer"/>), the requests waiting for those, and what was committed. The engine
/// decides when to commit and talks to Kafka; this class decides which request is done, failed or still waiting.
/// Only <see cref="Enqueue"/> and <see cref="CommittedOffsets"/> are used off the engine's thread.
/// </summary>
internal sealed class CommitBookkeeping(TimeSpan commitTimeout)
{
    private readonly ConcurrentQueue<Request> _requests = new();
    private readonly Dictionary<PartitionBuffer, long> _pending = [];
    private readonly List<Request> _waiting = [];
    private readonly ConcurrentDictionary<TopicPartition, long> _committed = new();
    private int _closed;
    private long _lastRoundEnded;

    public ILoggingAdapter Log { get; set; } = NoLogger.Instance;

    /// <summary>The last retriable commit error, the cause given when requests fail later.</summary>
    public Exception? LastError { get; set; }

    /// <summary>The next offsets committed successfully, per partition, the highest wins.</summary>
    public IReadOnlyDictionary<TopicPartition, long> CommittedOffsets => _committed;

    /// <summary>Offsets are pending or requests wait: the engine has a commit to make or to settle.</summary>
    public bool HasWork => _pending.Count > 0 || _waiting.Count > 0;

    public bool HasPending => _pending.Count > 0;

    /// <summary>Nothing is pending and no request waits to be taken: the consumer may close.</summary>
    public bool IsSettled => _pending.Count == 0 && _requests.IsEmpty;

    /// <summary>Any thread: a request for these next offsets, completed once they are committed or failed.</summary>
    public Task Enqueue(IReadOnlyDictionary<PartitionBuffer, long> nextOffsets)
    {
        var request = new Request(nextOffsets, Stopwatch.GetTimestamp() + (long)(commitTimeout.TotalSeconds * Stopwatch.Frequency));
        _requests.Enqueue(request);
        // The enqueue is a full fence: if requests were closed meanwhile, this one is failed here, since the thread
        // that failed the others may have drained the queue just before it arrived.
        if (Volatile.Read(ref _closed) == 1)
        {
            FailQueued(ClosedBeforeCommit());
        }

        return request.Completion.Task;
    }

    /// <summary>
    /// Takes the queued requests: their offsets become pending where <paramref name="owns"/> says the assignment an offset
    /// came from is still this consumer's (or <paramref name="alsoAccept"/> names it); a request naming another fails.
    /// </summary>
    public void Take(Func<PartitionBuffer, bool> owns, IReadOnlyCollection<PartitionBuffer>? alsoAccept = null)
    {
        while (_requests.TryDequeue(out var request))
        {
            List<PartitionBuffer>? moved = null;
            foreach (var (buffer, next) in request.Offsets)
            {
                if (!owns(buffer) && !(alsoAccept?.Contains(buffer) ?? false))
                {
                    (moved ??= []).Add(buffer);
                    continue;
                }

                if (!_pending.TryGetValue(buffer, out var pending) || pending < next)
                {
                    _pending[buffer] = next;
                }
            }

            if (moved is not null)
            {
                // The rest of the request is still committed (it is pending); the request itself reports the part that cannot be.
                request.Completion.TrySetException(new KafkaCommitRevokedException(
                    $"Offsets of partitions no longer assigned were not committed; their next owner re-reads from the last commit: {string.Join(", ", moved.Select(b => $"{b.TopicPartition}@{request.Offsets[b]}"))}",
                    LastError));
                continue;
            }

            _waiting.Add(request);
        }
    }

    /// <summary>Every pending offset, for one commit.</summary>
    public List<KeyValuePair<PartitionBuffer, long>> Pending() => [.. _pending];

    /// <summary>The pending offsets of these assignments.</summary>
    public List<KeyValuePair<PartitionBuffer, long>> PendingOf(IEnumerable<PartitionBuffer> buffers) =>
        [.. buffers.Where(_pending.ContainsKey).Select(b => new KeyValuePair<PartitionBuffer, long>(b, _pending[b]))];

    /// <summary>A commit of these offsets succeeded: they are no longer pending, unless a higher one came since.</summary>
    public void Committed(IReadOnlyList<KeyValuePair<PartitionBuffer, long>> offsets)
    {
        foreach (var (buffer, next) in offsets)
        {
            // The highest wins: a commit of a revocation callback may return before the loop's older one.
            _committed.AddOrUpdate(buffer.TopicPartition, next, (_, committed) => Math.Max(committed, next));
            if (_pending.TryGetValue(buffer, out var pending) && pending == next)
            {
                _pending.Remove(buffer);
            }
        }

        LastError = null;
        // A request is done once Kafka holds its offsets, whatever other partitions still wait for: in a rebalance a
        // revoked partition's offsets go out in its callback while the others' fail round after round.
        _waiting.RemoveAll(request =>
        {
            if (!request.Offsets.All(o => _committed.TryGetValue(o.Key.TopicPartition, out var committed) && committed >= o.Value))
            {
                return false;
            }

            request.Completion.TrySetResult();
            return true;
        });
        CompleteIfNothingPending();
    }

    /// <summary>Requests holding pending offsets of these assignments fail: they must not be reported as committed.</summary>
    public void FailHolding(IReadOnlyCollection<PartitionBuffer> buffers, string why)
    {
        var failing = _waiting.Where(r => r.Offsets.Keys.Any(b => buffers.Contains(b) && _pending.ContainsKey(b))).ToList();
        if (failing.Count == 0)
        {
            return;
        }

        var error = new KafkaCommitRevokedException(why, LastError);
        foreach (var request in failing)
        {
            request.Completion.TrySetException(error);
            _waiting.Remove(request);
        }
    }

    /// <summary>The assignment ended: its offsets can no longer be committed by this consumer.</summary>
    public void Forget(PartitionBuffer buffer) => _pending.Remove(buffer);

    public void CompleteIfNothingPending()
    {
        if (_pending.Count > 0)
        {
            return;
        }

        foreach (var request in _waiting)
        {
            request.Completion.TrySetResult();
        }

        _waiting.Clear();
    }

    /// <summary>
    /// A rebalance round ended. No commit succeeds while the group rebalances (it fails with the round's old
    /// generation once the round ends), so the timeout counts from the later of a request's arrival and this.
    /// </summary>
    public void RebalanceRoundEnded() => _lastRoundEnded = Stopwatch.GetTimestamp();

    /// <summary>
    /// Once a waiting request has waited the commit timeout, and as long since the last rebalance round ended, every
    /// waiting request fails with it: the group made no progress for that long.
    /// </summary>
    public void FailExpired()
    {
        var now = Stopwatch.GetTimestamp();
        var sinceRound = _lastRoundEnded + (long)(commitTimeout.TotalSeconds * Stopwatch.Frequency);
        if (_waiting.Exists(r => Math.Max(r.Deadline, sinceRound) < now))
        {
            FailAll(new KafkaCommitTimeoutException(
                $"Offsets were not committed within {commitTimeout.TotalSeconds:F0} s (aero.kafka.consumer.commit-timeout), nor within that time of the group's last rebalance.", LastError));
        }
    }

    /// <summary>Every waiting and queued request fails with <paramref name="error"/>, and nothing stays pending.</summary>
    public void FailAll(Exception error)
    {
        if (_waiting.Count > 0 || !_requests.IsEmpty)
        {
            Log.Warning("Offsets were not committed: {0}", error.Message);
        }

        foreach (var request in _waiting)
        {
            request.Completion.TrySetException(error);
        }

        _waiting.Clear();
        _pending.Clear();
        FailQueued(error);
    }

    /// <summary>No request is taken from now on: those waiting or queued fail, and so does any enqueued later.</summary>
    public void Close()
    {
        Interlocked.Exchange(ref _closed, 1);
        FailAll(ClosedBeforeCommit());
    }

    public string Describe() => string.Join(", ", _pending.Select(p => $"{p.Key}@{p.Value}"));

    private void FailQueued(Exception error)
    {
        while (_requests.TryDequeue(out var request))
        {
            request.Completion.TrySetException(error);
        }
    }

    private static InvalidOperationException ClosedBeforeCommit() => new("The Kafka consumer closed before these offsets were committed.");

    private sealed class Request(IReadOnlyDictionary<PartitionBuffer, long> offsets, long deadline)
    {
        public IReadOnlyDictionary<PartitionBuffer, long> Offsets { get; } = offsets;
        public long Deadline { get; } = deadline;
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
