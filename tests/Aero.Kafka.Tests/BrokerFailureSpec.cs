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

public sealed class BrokerFailureSpec(ITestOutputHelper output) : KafkaSpecBase(output)
{
    private const int Partitions = 3;
    private const int Records = 15_000;

    // Each resume costs librdkafka up to a second before it fetches again, so the buffer is large enough to need
    // only a few pauses, and small enough that every partition is paused when the sink stalls.
    private const int PartitionBufferSize = 1_000;

    // Records processed before the sink stalls: every partition still has far more than its buffer to go.
    private const int StallAfter = 1_500;

    // issue 13 §1.5: a blip far shorter than the session timeout (30 s here, whatever the machine's load) keeps the
    // assignment, so every record is processed exactly once and the partitions paused before the blip flow after it.
    [Fact]
    public async Task A_short_broker_blip_should_keep_the_assignment_and_process_every_record_exactly_once()
    {
        var logEnd = Produce(Records, Partitions);
        var run = Start(ConsumerSettings.WithProperty("session.timeout.ms", "30000"));
        var infos = CreateTestProbe();
        Sys.EventStream.Subscribe(infos.Ref, typeof(Akka.Event.Info));
        await run.StallWithEveryPartitionPausedAsync(this);

        var warnings = CreateTestProbe();
        Sys.EventStream.Subscribe(warnings.Ref, typeof(Akka.Event.Warning));
        Kafka.SetBrokerDown(-1);
        await warnings.FishForMessageAsync(m => m is Akka.Event.Warning w && w.Message.ToString()!.Contains("Local_"), TimeSpan.FromSeconds(30));
        Kafka.SetBrokerUp(-1);
        run.Flow();

        await AwaitConditionAsync(() => Task.FromResult(run.Ledger.Distinct >= Records || run.Control.StreamCompletion.IsFaulted), TimeSpan.FromSeconds(60));
        await AwaitCommittedAsync(logEnd, () => run.Control.StreamCompletion.IsFaulted, TimeSpan.FromSeconds(30));
        var rebalances = infos.ReceiveWhile(TimeSpan.FromMilliseconds(500), m => m is Akka.Event.Info i ? i.Message.ToString() : null)
            .Where(m => m is not null && (m.StartsWith("Lost", StringComparison.Ordinal) || m.StartsWith("Revoked", StringComparison.Ordinal)))
            .ToList();
        await run.Control.DrainAndShutdownAsync(TimeSpan.FromSeconds(20));

        Assert.Empty(rebalances);
        Assert.Empty(run.Ledger.Missing(logEnd));
        Assert.Empty(run.Ledger.Duplicates);
        Assert.Equal(logEnd, Committed(Partitions));
    }

    // issue 13 §1.5: an outage that outlasts the session timeout (waited for, not guessed) loses the partitions while
    // they are paused; once the broker is back they are assigned again and must flow again. Records after the last
    // successful commit are read again, which is correct; nothing may be missing and nothing before that commit repeated.
    [Fact]
    public async Task A_broker_outage_past_the_session_timeout_should_lose_the_partitions_and_resume_them_paused_or_not()
    {
        var logEnd = Produce(Records, Partitions);
        var run = Start(ConsumerSettings.WithProperty("session.timeout.ms", "3000").WithProperty("heartbeat.interval.ms", "300"));
        var infos = CreateTestProbe();
        Sys.EventStream.Subscribe(infos.Ref, typeof(Akka.Event.Info));
        await run.StallWithEveryPartitionPausedAsync(this);

        Kafka.SetBrokerDown(-1);
        await infos.FishForMessageAsync(m => m is Akka.Event.Info i && i.Message.ToString()!.StartsWith("Lost", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var committedAtLoss = run.Engine.CommittedOffsets.ToDictionary(o => o.Key.Partition.Value, o => o.Value);
        var seenAtLoss = run.Ledger.Distinct;
        Kafka.SetBrokerUp(-1);
        await infos.FishForMessageAsync(m => m is Akka.Event.Info i && i.Message.ToString()!.StartsWith("Assigned", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        run.Flow();

        await AwaitConditionAsync(() => Task.FromResult(run.Ledger.Distinct >= Records || run.Control.StreamCompletion.IsFaulted), TimeSpan.FromSeconds(60));
        await AwaitCommittedAsync(logEnd, () => run.Control.StreamCompletion.IsFaulted, TimeSpan.FromSeconds(30));
        await run.Control.DrainAndShutdownAsync(TimeSpan.FromSeconds(20));

        Assert.InRange(seenAtLoss, 1, Records - 1);
        Assert.Empty(run.Ledger.Missing(logEnd));
        Assert.All(run.Ledger.Duplicates, d => Assert.True(
            d.Offset >= committedAtLoss.GetValueOrDefault(d.Partition),
            $"{d.Partition}@{d.Offset} was processed twice although the last commit before the loss was {committedAtLoss.GetValueOrDefault(d.Partition)}"));
        Assert.Equal(logEnd, Committed(Partitions));
    }

    // issue 13 §2: offsets of a lost partition were never committed (no revocation commit runs on a loss), so a
    // commit still waiting for them must fail; reporting it as committed would let a sink trust Kafka for a position
    // Kafka does not hold.
    [Fact]
    public async Task A_commit_waiting_when_its_partitions_are_lost_should_fail_rather_than_succeed()
    {
        Produce(Records, Partitions);
        var run = Start(ConsumerSettings.WithProperty("session.timeout.ms", "3000").WithProperty("heartbeat.interval.ms", "300"));
        var infos = CreateTestProbe();
        Sys.EventStream.Subscribe(infos.Ref, typeof(Akka.Event.Info));
        await run.StallWithEveryPartitionPausedAsync(this);

        Kafka.SetBrokerDown(-1);
        var beyondCommitted = run.Engine.Assigned.ToDictionary(b => b, b => run.Engine.CommittedOffsets.GetValueOrDefault(b.TopicPartition) + 1);
        var commit = run.Engine.CommitAsync(beyondCommitted);
        await infos.FishForMessageAsync(m => m is Akka.Event.Info i && i.Message.ToString()!.StartsWith("Lost", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Kafka.SetBrokerUp(-1);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => commit.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.IsType<KafkaCommitRevokedException>(error);
        Assert.Contains("lost", error.Message, StringComparison.OrdinalIgnoreCase);
        run.Flow();
        await run.Control.DrainAndShutdownAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Injected_commit_errors_should_be_retried_and_the_stream_should_continue()
    {
        var logEnd = Produce(20_000, Partitions);
        var seen = 0;
        var control = KafkaConsumer.CommittableSource(ConsumerSettings.WithCommitRetryBackoff(TimeSpan.FromMilliseconds(20)), Subscription.ToTopics(Topic))
            .Select(message =>
            {
                // Fail the commits once the stream is running, so the group join is not what absorbs them.
                if (Interlocked.Increment(ref seen) == 1_000)
                {
                    Kafka.PushRequestErrors(KafkaApiKey.OffsetCommit, ErrorCode.RebalanceInProgress, ErrorCode.RebalanceInProgress, ErrorCode.RebalanceInProgress);
                }

                return (ICommittable)message.Offset;
            })
            .ToMaterialized(Committer.Sink(CommitterSettings.WithMaxBatch(1_000)), DrainingControl<Done>.Create)
            .Run(Materializer);

        await EventFilter.Warning(contains: "Kafka commit failed, retrying").ExpectAsync(3, async () =>
            await AwaitConditionAsync(() => Task.FromResult(Volatile.Read(ref seen) >= 20_000 || control.StreamCompletion.IsFaulted), TimeSpan.FromSeconds(30)),
            TimeSpan.FromSeconds(30));
        await control.DrainAndShutdownAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(20_000, seen);
        Assert.False(control.StreamCompletion.IsFaulted);
        Assert.Equal(logEnd, Committed(Partitions));
    }

    private GatedRun Start(ConsumerSettings settings)
    {
        var run = new GatedRun();
        run.Control = KafkaConsumer.CommittableSource(settings.WithPartitionBufferSize(PartitionBufferSize), Subscription.ToTopics(Topic))
            .SelectAsync(1, async message =>
            {
                await run.Gate;
                run.Ledger.Record("only", message.Record.Partition.Value, message.Record.Offset.Value);
                run.StallAt(StallAfter);
                return (ICommittable)message.Offset;
            })
            .ToMaterialized(Committer.Sink(CommitterSettings), DrainingControl<Done>.Create)
            .Run(Materializer);
        return run;
    }

    /// <summary>A stream whose sink can be stalled, so that the outage starts with every partition paused.</summary>
    private sealed class GatedRun
    {
        private volatile TaskCompletionSource _gate = CompletedGate();

        public OffsetLedger Ledger { get; } = new();

        public DrainingControl<Done> Control { get; set; } = null!;

        public ConsumerEngine Engine => ((ConsumerControl)Control.Control).Engine;

        public Task Gate => _gate.Task;

        /// <summary>Stream: closes the gate once <paramref name="records"/> were processed, so the outage starts mid-stream.</summary>
        public void StallAt(int records)
        {
            if (Ledger.Total == records)
            {
                _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        /// <summary>Waits until the stalled sink has left every partition's buffer full and paused.</summary>
        public async Task StallWithEveryPartitionPausedAsync(BrokerFailureSpec spec)
        {
            await spec.AwaitConditionAsync(() => Task.FromResult(Ledger.Total >= StallAfter || Control.StreamCompletion.IsFaulted), TimeSpan.FromSeconds(30));
            await spec.AwaitConditionAsync(
                () => Task.FromResult(Engine.Assigned.Count == Partitions && Engine.Assigned.All(p => p.IsPaused)),
                TimeSpan.FromSeconds(30));
        }

        public void Flow() => _gate.TrySetResult();

        private static TaskCompletionSource CompletedGate()
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            gate.SetResult();
            return gate;
        }
    }
}
