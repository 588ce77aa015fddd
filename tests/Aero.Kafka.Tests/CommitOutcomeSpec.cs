using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Aero.Kafka.Dsl;
using Aero.Kafka.Embedded;
using Aero.Kafka.Internal;
using Aero.Kafka.Messages;
using Aero.Kafka.Settings;
using Akka;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Kafka.Tests;

/// <summary>A commit request always ends, and ends truthfully: committed, or failed with why.</summary>
public sealed class CommitOutcomeSpec(ITestOutputHelper output) : KafkaSpecBase(output)
{
    private ConsumerSettings ShortCommitTimeout => ConsumerSettings
        .WithCommitTimeout(TimeSpan.FromSeconds(1))
        .WithCommitRetryBackoff(TimeSpan.FromMilliseconds(50));

    // issue 13 §2: a request that arrives as the consumer closes must fail, not wait forever.
    [Fact]
    public async Task A_commit_asked_for_as_the_consumer_closes_should_fail_rather_than_never_complete()
    {
        var engine = new ConsumerEngine(ConsumerSettings, [Topic], offsetsOnAssign: null);
        var commit = engine.CommitAsync(new Dictionary<PartitionBuffer, long> { [new PartitionBuffer(engine, new TopicPartition(Topic, 0))] = 1 });

        await engine.ShutdownAsync().WaitAsync(TimeSpan.FromSeconds(5));

        await Assert.ThrowsAsync<InvalidOperationException>(() => commit.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    // issue 13 §2: a request completes once its own offsets are committed. It waited for every pending offset instead,
    // so a revoked partition's sub-stream, whose offsets its revocation callback had committed, never completed while
    // the partitions still owned failed to commit round after round in a rebalance.
    [Fact]
    public void A_request_whose_offsets_were_committed_should_complete_while_other_partitions_still_wait()
    {
        var engine = new ConsumerEngine(ConsumerSettings, [Topic], offsetsOnAssign: null);
        var zero = new PartitionBuffer(engine, new TopicPartition(Topic, 0));
        var one = new PartitionBuffer(engine, new TopicPartition(Topic, 1));
        var commits = new CommitBookkeeping(TimeSpan.FromSeconds(15));
        var first = commits.Enqueue(new Dictionary<PartitionBuffer, long> { [zero] = 10 });
        var second = commits.Enqueue(new Dictionary<PartitionBuffer, long> { [one] = 20 });
        commits.Take(_ => true);

        commits.Committed([new(zero, 10)]);

        Assert.True(first.IsCompletedSuccessfully, "the request for partition 0 still waits although its offset was committed");
        Assert.False(second.IsCompleted);
        commits.Committed([new(one, 20)]);
        Assert.True(second.IsCompletedSuccessfully);
    }

    // issue 13 §3: a commit that cannot succeed within commit-timeout fails the stream (commit-failure = fail).
    [Fact]
    public async Task A_commit_timeout_should_fail_the_stream_by_default()
    {
        Produce(2_000, partitions: 2);
        Kafka.PushRequestErrors(KafkaApiKey.OffsetCommit, Enumerable.Repeat(ErrorCode.RequestTimedOut, 500).ToArray());
        var control = KafkaConsumer.CommittableSource(ShortCommitTimeout, Subscription.ToTopics(Topic))
            .Select(message => (ICommittable)message.Offset)
            .ToMaterialized(Committer.Sink(CommitterSettings), DrainingControl<Done>.Create)
            .Run(Materializer);

        await Assert.ThrowsAsync<KafkaCommitTimeoutException>(() => control.StreamCompletion.WaitAsync(TimeSpan.FromSeconds(30)));
        await control.Control.ShutdownAsync();
    }

    // issue 13 §2: with commit-failure = warn (what the load uses) a commit timeout is logged and counted, and the
    // stream goes on.
    [Fact]
    public async Task A_commit_timeout_with_commit_failure_warn_should_be_logged_and_counted_and_the_stream_should_go_on()
    {
        Produce(2_000, partitions: 2);
        using var abandoned = new AbandonedCommits();
        Kafka.PushRequestErrors(KafkaApiKey.OffsetCommit, Enumerable.Repeat(ErrorCode.RequestTimedOut, 30).ToArray());
        var seen = 0;
        var warnings = CreateTestProbe();
        Sys.EventStream.Subscribe(warnings.Ref, typeof(Akka.Event.Warning));
        var control = KafkaConsumer.CommittableSource(ShortCommitTimeout, Subscription.ToTopics(Topic))
            .Select(message =>
            {
                Interlocked.Increment(ref seen);
                return (ICommittable)message.Offset;
            })
            .ToMaterialized(Committer.Sink(CommitterSettings.WithCommitFailure(CommitFailure.Warn)), DrainingControl<Done>.Create)
            .Run(Materializer);
        await AwaitConditionAsync(() => Task.FromResult(abandoned.Count > 0 || control.StreamCompletion.IsCompleted), TimeSpan.FromSeconds(30));
        await warnings.FishForMessageAsync(m => m is Akka.Event.Warning w && w.Message.ToString()!.Contains("Offsets were not committed", StringComparison.Ordinal), TimeSpan.FromSeconds(5));

        // The stream goes on: every record is processed and the stream has not failed.
        await AwaitConditionAsync(() => Task.FromResult(Volatile.Read(ref seen) == 2_000 || control.StreamCompletion.IsCompleted), TimeSpan.FromSeconds(30));
        Assert.False(control.StreamCompletion.IsCompleted);
        await control.Control.ShutdownAsync();
        Assert.Equal(2_000, seen);
        Assert.True(abandoned.Count > 0);
    }

    // issue 13 §2: offsets of a partition revoked before their commit went through were not committed.
    [Fact]
    public async Task A_commit_of_a_partition_revoked_before_it_succeeded_should_fail_not_report_success()
    {
        Produce(200, partitions: 2);
        var messages = new ConcurrentQueue<CommittableMessage>();
        var (control, _) = KafkaConsumer.CommittableSource(ConsumerSettings.WithCommitTimeout(TimeSpan.FromSeconds(60)), Subscription.ToTopics(Topic))
            .ToMaterialized(Sink.ForEach<CommittableMessage>(messages.Enqueue), Keep.Both)
            .Run(Materializer);
        var engine = ((ConsumerControl)control).Engine;
        await AwaitConditionAsync(() => Task.FromResult(messages.Count == 200), TimeSpan.FromSeconds(30));

        // Every commit fails (retriably) for a while, so the commit is still pending when a second member joins.
        Kafka.PushRequestErrors(KafkaApiKey.OffsetCommit, Enumerable.Repeat(ErrorCode.RebalanceInProgress, 40).ToArray());
        var batch = new CommittableOffsetBatch();
        foreach (var message in messages)
        {
            batch.Add(message.Offset);
        }

        var commit = batch.CommitAsync();
        var second = KafkaConsumer.PlainSource(ConsumerSettings, Subscription.ToTopics(Topic))
            .ToMaterialized(Sink.Ignore<ConsumeResult<byte[], byte[]>>(), Keep.Left)
            .Run(Materializer);
        await AwaitConditionAsync(() => Task.FromResult(engine.Assigned.Count == 1), TimeSpan.FromSeconds(30));

        await Assert.ThrowsAsync<KafkaCommitRevokedException>(() => commit.WaitAsync(TimeSpan.FromSeconds(30)));
        await Task.WhenAll(control.ShutdownAsync(), second.ShutdownAsync());
    }

    /// <summary>Counts aero_kafka_commits_abandoned while it lives (other specs running meanwhile may add to it).</summary>
    private sealed class AbandonedCommits : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _count;

        public AbandonedCommits()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == KafkaMetrics.MeterName && instrument.Name == "aero_kafka_commits_abandoned")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
            _listener.Start();
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}
