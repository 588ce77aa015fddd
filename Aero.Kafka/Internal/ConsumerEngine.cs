using System.Collections.Concurrent;
using System.Diagnostics;
using Aero.Kafka.Settings;
using Akka.Event;
using Confluent.Kafka;

namespace Aero.Kafka.Internal;

/// <summary>
/// Owns one Confluent consumer on a dedicated thread. Each loop it applies commit requests, commits once for all
/// of them, pauses partitions whose buffer is full and resumes those the stream drained, then polls a batch of
/// records into the partitions' buffers. Rebalance callbacks run inside Consume on this thread, so the
/// assignment is only ever changed here. Stages read the buffers and ask for commits; they never touch the consumer.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Reliability",
    "CA1001:Types that own disposable fields should be disposable",
    Justification = "_ended has no timer and no wait handle, so disposing it frees nothing; stages may still register on it after the stream ended.")]
internal sealed class ConsumerEngine
{
    // Commits racing a rebalance fail with the generation errors; after the rebalance the offsets of partitions
    // still owned are committed again, those of revoked partitions were dropped from the pending set.
    private static readonly HashSet<ErrorCode> RetriableCommitErrors =
    [
        ErrorCode.RebalanceInProgress,
        ErrorCode.IllegalGeneration,
        ErrorCode.UnknownMemberId,
        ErrorCode.RequestTimedOut,
        ErrorCode.Local_TimedOut,
        ErrorCode.GroupLoadInProgress,
        ErrorCode.GroupCoordinatorNotAvailable,
        ErrorCode.NotCoordinatorForGroup,
        ErrorCode.NetworkException,
        ErrorCode.Local_Transport,
        ErrorCode.Local_AllBrokersDown,
        ErrorCode.Local_WaitCoord,
        ErrorCode.Local_Retry,
        ErrorCode.LeaderNotAvailable,
        ErrorCode.NotLeaderForPartition,
    ];

    private readonly ConsumerSettings _settings;
    private readonly IReadOnlyList<string> _topics;
    private readonly Func<IReadOnlyCollection<TopicPartition>, IReadOnlyDictionary<TopicPartition, long>>? _offsetsOnAssign;
    private ILoggingAdapter _log = NoLogger.Instance;
    private readonly Dictionary<TopicPartition, PartitionBuffer> _owned = [];
    private readonly List<PartitionBuffer> _newlyAssigned = [];
    private readonly CommitBookkeeping _commits;
    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<Exception> _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stopEmitting = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Cancelled when the stream ends in any way; stages register on it (WhenStreamEnds) and unregister as they stop.
    private readonly CancellationTokenSource _ended = new();
    private readonly Lock _startGate = new();
    private volatile PartitionBuffer[] _assigned = [];
    private Action? _wakeup;
    private IAssignmentListener? _listener;
    private Thread? _thread;
    private IConsumer<byte[], byte[]>? _consumer;
    private volatile bool _closing;
    private volatile bool _aborting;
    private long _closeDeadline;
    private long _nextCommitAttempt;

    // The loop's commit runs on the thread pool: the loop must keep polling meanwhile, since in a rebalance the
    // coordinator answers a commit only after this member rejoined, and it rejoins from its polls.
    private Task<CommitOutcome>? _commitInFlight;
    private long _lastPoll = Stopwatch.GetTimestamp();

    public ConsumerEngine(
        ConsumerSettings settings,
        IReadOnlyList<string> topics,
        Func<IReadOnlyCollection<TopicPartition>, IReadOnlyDictionary<TopicPartition, long>>? offsetsOnAssign)
    {
        _settings = settings;
        _topics = topics;
        _offsetsOnAssign = offsetsOnAssign;
        _commits = new CommitBookkeeping(settings.CommitTimeout);
        Task.WhenAny(_failed.Task, _stopEmitting.Task, _terminated.Task).ContinueWith(_ => _ended.Cancel(), TaskScheduler.Default);
    }

    /// <summary>The partitions owned right now, in one snapshot.</summary>
    public IReadOnlyList<PartitionBuffer> Assigned => _assigned;

    /// <summary>What the stages name as the source of the engine's log lines.</summary>
    public string LogSource => $"Kafka consumer (group {_settings.GroupId})";

    /// <summary>The next offsets this consumer committed successfully, per partition, last commit wins.</summary>
    public IReadOnlyDictionary<TopicPartition, long> CommittedOffsets => _commits.CommittedOffsets;

    /// <summary>How long ago the loop last polled: a loop held up (in a commit, say) cannot rejoin its group.</summary>
    public TimeSpan SinceLastPoll => Stopwatch.GetElapsedTime(Volatile.Read(ref _lastPoll));

    /// <summary>Completes once the consumer is closed and the thread has ended.</summary>
    public Task Terminated => _terminated.Task;

    /// <summary>Completes with the error that stopped the engine, if one does.</summary>
    public Task<Exception> Failed => _failed.Task;

    /// <summary>Completes when the stream was asked to stop emitting (draining).</summary>
    public Task StopEmitting => _stopEmitting.Task;

    /// <summary>
    /// Tells a stage how the stream ends: <paramref name="fail"/> if the consumer failed, else <paramref name="complete"/>
    /// once the stream is asked to stop emitting or the consumer closes. Dispose the registration when the stage stops:
    /// a partition's sub-source lives for one assignment, the engine for the whole stream.
    /// </summary>
    public CancellationTokenRegistration WhenStreamEnds(Action complete, Action<Exception> fail) =>
        _ended.Token.Register(() =>
        {
            // A failure also stops emitting and ends the consumer; it must never be reported as a normal end.
            if (_failed.Task.IsCompleted)
            {
                fail(_failed.Task.Result);
            }
            else
            {
                complete();
            }
        });

    /// <summary>Starts the consumer thread. Records go to the buffers; <paramref name="listener"/> hears of partitions.</summary>
    public void Start(IAssignmentListener? listener, ILoggingAdapter log)
    {
        lock (_startGate)
        {
            if (_thread is not null)
            {
                throw new InvalidOperationException("A Kafka source can be materialized once; create a new source for another stream.");
            }

            _listener = listener;
            _log = log;
            _commits.Log = log;
            _thread = new Thread(Run) { IsBackground = true, Name = $"aero-kafka-consumer-{_settings.GroupId}" };
            _thread.Start();
        }
    }

    /// <summary>
    /// Asks for <paramref name="wakeup"/> to run once records arrive in any buffer. A full fence, so the caller's
    /// next look at the buffers' counts cannot be ordered before it and miss records added meanwhile.
    /// </summary>
    public void RegisterWakeup(Action wakeup) => Interlocked.Exchange(ref _wakeup, wakeup);

    /// <summary>Stream: commit these next offsets (record offset + 1) once, for partitions still owned.</summary>
    public Task CommitAsync(IReadOnlyDictionary<PartitionBuffer, long> nextOffsets)
    {
        if (_terminated.Task.IsCompleted)
        {
            return Task.FromException(new InvalidOperationException("The Kafka consumer is closed; offsets can no longer be committed."));
        }

        return _commits.Enqueue(nextOffsets);
    }

    public void RequestStopEmitting() => _stopEmitting.TrySetResult();

    /// <summary>
    /// The stream stopped without being drained (cancelled, failed): stop emitting, keep committing what
    /// downstream still confirms for <see cref="ConsumerSettings.StopTimeout"/>, then close.
    /// </summary>
    public void ShutdownAfterStopTimeout()
    {
        RequestStopEmitting();
        if (_settings.StopTimeout <= TimeSpan.Zero)
        {
            _ = ShutdownAsync();
        }
        else
        {
            _ = Task.Delay(_settings.StopTimeout).ContinueWith(_ => ShutdownAsync(), TaskScheduler.Default);
        }
    }

    /// <summary>Commits what is pending, leaves the group and ends the thread.</summary>
    public Task ShutdownAsync()
    {
        RequestStopEmitting();
        _closing = true;
        lock (_startGate)
        {
            if (_thread is null)
            {
                _commits.Close();
                _terminated.TrySetResult();
            }
        }

        return _terminated.Task;
    }

    private void Run()
    {
        IConsumer<byte[], byte[]>? consumer = null;
        try
        {
            consumer = _consumer = Build();
            consumer.Subscribe(_topics);
            while (!_aborting)
            {
                CollectCommit();
                if (_commitInFlight is null)
                {
                    // Requests wait in the queue while a commit is in flight, so that its success settles them all.
                    TakeCommitRequests();
                    if (_commits.HasWork)
                    {
                        CommitPending(consumer);
                    }
                }
                else
                {
                    _commits.FailExpired();
                }

                if (_closing && ReadyToClose())
                {
                    break;
                }

                ResumeNewlyAssigned(consumer);
                UpdatePauses(consumer);
                Poll(consumer);
            }

            if (_commits.HasPending)
            {
                _log.Error("Closing the Kafka consumer with uncommitted offsets: {0}", _commits.Describe());
            }
        }
        catch (Exception error)
        {
            Fail(error);
        }
        finally
        {
            if (consumer is not null)
            {
                CloseThenDispose(consumer);
            }

            foreach (var buffer in _assigned)
            {
                buffer.Revoke();
                KafkaMetrics.ForgetLag(_settings.GroupId, buffer.TopicPartition.Topic, buffer.TopicPartition.Partition.Value);
            }

            _assigned = [];
            _commits.Close();
            _terminated.TrySetResult();
            Interlocked.Exchange(ref _wakeup, null)?.Invoke();
        }
    }

    /// <summary>
    /// Leaves the group, after a failure too: a consumer only disposed stays a member until its session times out,
    /// and the group hands its partitions to no one until then. Bounded by <c>close-timeout</c>: a close that hangs
    /// (brokers unreachable) is left to finish in the background, and its consumer is disposed when it does.
    /// </summary>
    private void CloseThenDispose(IConsumer<byte[], byte[]> consumer)
    {
        // No Consume runs any more, so the close (and the revocation callbacks it runs) may use another thread. A
        // commit still in flight uses the consumer: the close waits for it.
        var inFlight = (Task?)_commitInFlight ?? Task.CompletedTask;
        var closing = inFlight.ContinueWith(_ => consumer.Close(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        bool closed;
        try
        {
            closed = closing.Wait(_settings.CloseTimeout);
        }
        catch (AggregateException error)
        {
            _log.Warning("Closing the Kafka consumer failed: {0}", error.InnerException?.Message ?? error.Message);
            closed = true;
        }

        if (!closed)
        {
            _log.Warning(
                "The Kafka consumer did not close within {0:F0} s (aero.kafka.consumer.close-timeout); it goes on closing in the background, and until it is done the group may wait for it up to session.timeout.ms.",
                _settings.CloseTimeout.TotalSeconds);
            closing.ContinueWith(_ => DisposeQuietly(consumer), TaskScheduler.Default);
            return;
        }

        DisposeQuietly(consumer);
    }

    private void DisposeQuietly(IConsumer<byte[], byte[]> consumer)
    {
        try
        {
            consumer.Dispose();
        }
        catch (Exception error)
        {
            _log.Warning("Disposing the Kafka consumer failed: {0}", error.Message);
        }
    }

    private IConsumer<byte[], byte[]> Build() =>
        new ConsumerBuilder<byte[], byte[]>(_settings.ToClientConfig())
            .SetPartitionsAssignedHandler(OnAssigned)
            .SetPartitionsRevokedHandler((_, partitions) => OnRevoked(partitions.Select(p => p.TopicPartition), commitFirst: true))
            .SetPartitionsLostHandler((_, partitions) => OnRevoked(partitions.Select(p => p.TopicPartition), commitFirst: false))
            .SetStatisticsHandler((_, json) => KafkaMetrics.RecordStatistics(_settings.GroupId, json))
            .SetErrorHandler((_, error) =>
            {
                if (error.IsFatal)
                {
                    Fail(new KafkaException(error));
                }
                else
                {
                    _log.Warning("Kafka consumer: {0} ({1})", error.Reason, error.Code);
                }
            })
            .SetLogHandler((_, message) =>
            {
                if (message.Level <= SyslogLevel.Warning)
                {
                    _log.Warning("librdkafka {0}: {1}", message.Facility, message.Message);
                }
            })
            .Build();

    private void Poll(IConsumer<byte[], byte[]> consumer)
    {
        Volatile.Write(ref _lastPoll, Stopwatch.GetTimestamp());
        var pollTimeout = (int)_settings.PollTimeout.TotalMilliseconds;
        PartitionBuffer? last = null;
        var polled = 0;
        try
        {
            var record = consumer.Consume(pollTimeout);
            while (record is not null)
            {
                // A revoked buffer is looked up again: the partition may have been assigned anew (a new buffer) inside
                // this very Consume call, and the new assignment's records must not be dropped as the old one's.
                if (last is null || last.IsRevoked || !last.TopicPartition.Equals(record.TopicPartition))
                {
                    _owned.TryGetValue(record.TopicPartition, out last);
                }

                // Records of a partition that was revoked meanwhile (or paused, #2418) may still arrive: keep what is ours.
                if (last is null || !last.Append(record))
                {
                    KafkaMetrics.RecordsDropped.Add(1);
                }
                else if (!last.IsPaused && last.Count >= _settings.PartitionBufferSize)
                {
                    // Pause at once rather than at the next loop: one batch may hold thousands of this partition's records.
                    consumer.Pause([last.TopicPartition]);
                    last.IsPaused = true;
                    KafkaMetrics.AddPausedPartitions(1);
                }

                if (++polled >= _settings.MaxPollRecords)
                {
                    break;
                }

                record = consumer.Consume(0);
            }
        }
        catch (ConsumeException error) when (error.Error.Code == ErrorCode.Local_AutoOffsetReset)
        {
            KafkaMetrics.OffsetsOutOfRange.Add(1);
            var position = error.ConsumerRecord?.TopicPartitionOffset;
            _log.Error("ALARM: offset out of range for {0}; stopping instead of skipping records.", position?.ToString() ?? "a partition");
            throw new KafkaOffsetOutOfRangeException(position, error.Error);
        }
        catch (ConsumeException error) when (!error.Error.IsFatal)
        {
            _log.Warning("Kafka consume error on {0}: {1}", error.ConsumerRecord?.TopicPartition?.ToString() ?? "the consumer", error.Error.Reason);
        }

        if (polled > 0)
        {
            KafkaMetrics.RecordsConsumed.Add(polled);
            foreach (var buffer in _assigned)
            {
                buffer.Wake();
            }

            Interlocked.Exchange(ref _wakeup, null)?.Invoke();
        }
    }

    /// <summary>
    /// librdkafka keeps an application's pause on a partition across revocation or loss and a later assignment
    /// (it clears only its own), while a new assignment gets a buffer that is not paused: without this, a partition
    /// paused when it was taken away would never deliver again once it comes back.
    /// </summary>
    private void ResumeNewlyAssigned(IConsumer<byte[], byte[]> consumer)
    {
        if (_newlyAssigned.Count == 0)
        {
            return;
        }

        // Those the engine paused since (a full buffer) or that left again are not for resuming.
        var resume = _newlyAssigned.Where(b => !b.IsRevoked && !b.IsPaused).Select(b => b.TopicPartition).ToList();
        _newlyAssigned.Clear();
        if (resume.Count > 0)
        {
            consumer.Resume(resume);
        }
    }

    private void UpdatePauses(IConsumer<byte[], byte[]> consumer)
    {
        List<TopicPartition>? pause = null;
        List<TopicPartition>? resume = null;
        var stopping = _stopEmitting.Task.IsCompleted;
        foreach (var buffer in _assigned)
        {
            var count = buffer.Count;
            if (!buffer.IsPaused && (stopping || count >= _settings.PartitionBufferSize))
            {
                (pause ??= []).Add(buffer.TopicPartition);
                buffer.IsPaused = true;
            }
            else if (buffer.IsPaused && !stopping && count <= _settings.PartitionBufferSize / 2)
            {
                (resume ??= []).Add(buffer.TopicPartition);
                buffer.IsPaused = false;
            }
        }

        if (pause is not null)
        {
            consumer.Pause(pause);
            KafkaMetrics.AddPausedPartitions(pause.Count);
        }

        if (resume is not null)
        {
            consumer.Resume(resume);
            KafkaMetrics.AddPausedPartitions(-resume.Count);
        }
    }

    private List<TopicPartitionOffset> OnAssigned(IConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions)
    {
        // An assignment (empty ones included) ends a rebalance round: commits held back for it may go now.
        _nextCommitAttempt = 0;
        _commits.RebalanceRoundEnded();
        KafkaMetrics.Rebalances.Add(partitions.Count, new KeyValuePair<string, object?>("change", "assigned"));
        // With an offsets-on-assign function (a sink that stores its offsets) that function is the only source of
        // truth: the group's Kafka commit may belong to another sink or an older store, and starting there would skip.
        var stored = _offsetsOnAssign?.Invoke(partitions) ?? new Dictionary<TopicPartition, long>();
        var needCommitted = _offsetsOnAssign is null ? partitions : [];
        var committed = needCommitted.Count == 0
            ? []
            : consumer.Committed(needCommitted, _settings.CommitTimeout).ToDictionary(o => o.TopicPartition, o => o.Offset);
        var initial = _settings.InitialOffset == OffsetReset.Latest ? Offset.End : Offset.Beginning;
        var initialReason = $"initial-offset = {_settings.InitialOffset.ToString().ToLowerInvariant()}";

        var start = new List<TopicPartitionOffset>(partitions.Count);
        var startedAt = new List<string>(partitions.Count);
        var added = new List<PartitionBuffer>(partitions.Count);
        foreach (var partition in partitions)
        {
            Offset offset;
            string why;
            if (stored.TryGetValue(partition, out var next))
            {
                offset = new Offset(next);
                why = "stored offset";
            }
            else if (_offsetsOnAssign is not null)
            {
                offset = initial;
                why = $"no stored offset: {initialReason}";
            }
            else if (committed.TryGetValue(partition, out var kafkaOffset) && kafkaOffset != Offset.Unset)
            {
                offset = kafkaOffset;
                why = "committed offset";
            }
            else
            {
                offset = initial;
                why = $"no committed offset: {initialReason}";
            }

            startedAt.Add($"{partition.Topic}[{partition.Partition.Value}] at {Describe(offset)} ({why})");
            start.Add(new TopicPartitionOffset(partition, offset));
            var buffer = new PartitionBuffer(this, partition);
            _owned[partition] = buffer;
            added.Add(buffer);
        }

        _assigned = [.. _owned.Values];
        _newlyAssigned.AddRange(added);
        if (partitions.Count == 0)
        {
            _log.Info("Rebalance round ended; no partitions added");
        }
        else
        {
            _log.Info("Assigned {0}", string.Join(", ", startedAt));
        }

        _listener?.OnAssigned(added);
        return start;
    }

    private static string Describe(Offset offset) =>
        offset == Offset.Beginning ? "the beginning" : offset == Offset.End ? "the end" : offset.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private void OnRevoked(IEnumerable<TopicPartition> partitions, bool commitFirst)
    {
        var revoked = new List<PartitionBuffer>();
        foreach (var partition in partitions)
        {
            if (_owned.Remove(partition, out var buffer))
            {
                revoked.Add(buffer);
            }
        }

        if (revoked.Count == 0)
        {
            return;
        }

        KafkaMetrics.Rebalances.Add(revoked.Count, new KeyValuePair<string, object?>("change", commitFirst ? "revoked" : "lost"));
        TakeCommitRequests(revoked);
        if (commitFirst)
        {
            // Offsets the stream has confirmed for these partitions go out before another member takes them.
            if (!CommitRevoked(revoked, out var notCommitted))
            {
                _commits.FailHolding(revoked, notCommitted);
            }
        }
        else
        {
            // A lost partition may already be another member's: nothing of it can be committed any more, and a
            // request holding its offsets must not be reported as committed.
            _commits.FailHolding(revoked, $"Partitions were lost before these offsets were committed; their next owner re-reads from the last commit: {string.Join(", ", _commits.PendingOf(revoked).Select(o => $"{o.Key.TopicPartition}@{o.Value}"))}");
        }

        foreach (var buffer in revoked)
        {
            _commits.Forget(buffer);
            if (buffer.IsPaused)
            {
                KafkaMetrics.AddPausedPartitions(-1);
            }

            KafkaMetrics.RecordsDropped.Add(buffer.Revoke());
            KafkaMetrics.ForgetLag(_settings.GroupId, buffer.TopicPartition.Topic, buffer.TopicPartition.Partition.Value);
        }

        _assigned = [.. _owned.Values];
        _log.Info("{0} {1}", commitFirst ? "Revoked" : "Lost", string.Join(", ", revoked));
        _commits.CompleteIfNothingPending();
    }

    // Only the assignment an offset came from may commit it: a stale buffer means the partition moved.
    private void TakeCommitRequests(IReadOnlyCollection<PartitionBuffer>? alsoAccept = null) =>
        _commits.Take(b => _owned.TryGetValue(b.TopicPartition, out var current) && ReferenceEquals(current, b), alsoAccept);

    /// <summary>
    /// Closing keeps the loop polling (every partition paused) until what the stream confirmed is committed,
    /// because a rebalance under way only ends through polls.
    /// </summary>
    private bool ReadyToClose()
    {
        var now = Stopwatch.GetTimestamp();
        if (_closeDeadline == 0)
        {
            _closeDeadline = now + (long)(_settings.CommitTimeout.TotalSeconds * Stopwatch.Frequency);
            _nextCommitAttempt = 0;
        }

        return (_commitInFlight is null && _commits.IsSettled) || now >= _closeDeadline;
    }

    private void CommitPending(IConsumer<byte[], byte[]> consumer)
    {
        if (!_commits.HasPending)
        {
            _commits.CompleteIfNothingPending();
            return;
        }

        if (Stopwatch.GetTimestamp() < _nextCommitAttempt)
        {
            _commits.FailExpired();
            return;
        }

        var offsets = _commits.Pending();
        _commitInFlight = Task.Run(() => Commit(consumer, offsets));
    }

    /// <summary>Settles the loop's commit once it returned.</summary>
    private void CollectCommit()
    {
        if (_commitInFlight is not { IsCompleted: true } done)
        {
            return;
        }

        _commitInFlight = null;
        if (!Settle(done.Result))
        {
            _commits.FailExpired();
        }
    }

    /// <summary>False, with why, when offsets confirmed for the revoked partitions were not committed.</summary>
    private bool CommitRevoked(List<PartitionBuffer> revoked, out string notCommitted)
    {
        var offsets = _commits.PendingOf(revoked);
        notCommitted = "";
        if (offsets.Count == 0)
        {
            return true;
        }

        // One attempt, and none while a rebalance is known to be under way: the group waits for this callback.
        // Without it, the next owner starts at the last successful commit and re-reads what came after it.
        if (_consumer is not null && Stopwatch.GetTimestamp() >= _nextCommitAttempt && Settle(Commit(_consumer, offsets)))
        {
            return true;
        }

        notCommitted = $"Offsets of revoked partitions were not committed; their next owner re-reads from the last commit: {string.Join(", ", offsets.Select(o => $"{o.Key.TopicPartition}@{o.Value}"))}";
        _log.Warning(notCommitted);
        return false;
    }

    /// <summary>One synchronous commit; safe beside the loop's Consume, since librdkafka's client is thread-safe.</summary>
    private static CommitOutcome Commit(IConsumer<byte[], byte[]> consumer, List<KeyValuePair<PartitionBuffer, long>> offsets)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            consumer.Commit(offsets.Select(o => new TopicPartitionOffset(o.Key.TopicPartition, new Offset(o.Value))));
            return new CommitOutcome(offsets, null, started, Stopwatch.GetTimestamp());
        }
        catch (KafkaException error)
        {
            return new CommitOutcome(offsets, error, started, Stopwatch.GetTimestamp());
        }
    }

    /// <summary>Records a commit's outcome on the loop's thread; false if it failed (retried later, or its requests failed).</summary>
    private bool Settle(CommitOutcome outcome)
    {
        if (outcome.Error is not { } error)
        {
            KafkaMetrics.Commits.Add(1);
            var took = Stopwatch.GetElapsedTime(outcome.StartedAt, outcome.EndedAt);
            if (took > _settings.CommitTimeWarning)
            {
                _log.Warning("Kafka commit of {0} partitions took {1:F0} ms", outcome.Offsets.Count, took.TotalMilliseconds);
            }

            // Offsets taken since (a revoked partition's, inside its callback) stay pending.
            _commits.Committed(outcome.Offsets);
            return true;
        }

        KafkaMetrics.CommitFailures.Add(1, new KeyValuePair<string, object?>("error", error.Error.Code.ToString()));
        var failures = error is TopicPartitionOffsetException partial
            ? partial.Results.Where(r => r.Error.IsError).Select(r => r.Error.Code).ToList()
            : [error.Error.Code];
        if (failures.Count > 0 && failures.TrueForAll(RetriableCommitErrors.Contains))
        {
            _log.Warning("Kafka commit failed, retrying: {0}", error.Message);
            _commits.LastError = error;
            // The next assignment (the end of a rebalance) retries at once; otherwise after the back-off.
            _nextCommitAttempt = Stopwatch.GetTimestamp() + (long)(_settings.CommitRetryBackoff.TotalSeconds * Stopwatch.Frequency);
            return false;
        }

        _log.Error("Kafka commit failed: {0}", error.Message);
        _commits.FailAll(error);
        return false;
    }

    private void Fail(Exception error)
    {
        if (_failed.TrySetResult(error))
        {
            _log.Error(error, "Kafka consumer failed: {0}", error.Message);
        }

        _aborting = true;
    }

    private sealed record CommitOutcome(List<KeyValuePair<PartitionBuffer, long>> Offsets, KafkaException? Error, long StartedAt, long EndedAt);
}
