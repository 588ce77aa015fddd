using Aero.Streams.Kafka;
using Aero.Streams.Kafka.Embedded;
using Akka;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Streams.Tests.Kafka;

public sealed class BrokerFailureSpec(ITestOutputHelper output) : KafkaSpecBase(output)
{
    private const int Partitions = 3;

    [Fact]
    public async Task A_broker_going_down_and_up_mid_stream_should_lose_nothing()
    {
        var logEnd = Produce(30_000, Partitions);
        var ledger = new OffsetLedger();
        var control = KafkaConsumer.CommittableSource(ConsumerSettings, Subscription.ToTopics(Topic))
            .Throttle(5_000, TimeSpan.FromSeconds(1), 500, Akka.Streams.ThrottleMode.Shaping)
            .Select(message =>
            {
                ledger.Record("only", message.Record.Partition.Value, message.Record.Offset.Value);
                return (ICommittable)message.Offset;
            })
            .ToMaterialized(Committer.Sink(CommitterSettings), DrainingControl<Done>.Create)
            .Run(Materializer);

        await AwaitConditionAsync(() => Task.FromResult(ledger.Total >= 2_000), TimeSpan.FromSeconds(30));
        var warnings = CreateTestProbe();
        Sys.EventStream.Subscribe(warnings.Ref, typeof(Akka.Event.Warning));
        Kafka.SetBrokerDown(-1);
        await warnings.FishForMessageAsync(m => m is Akka.Event.Warning w && w.Message.ToString()!.Contains("Local_"), TimeSpan.FromSeconds(30));
        Kafka.SetBrokerUp(-1);

        await AwaitConditionAsync(() => Task.FromResult(ledger.Distinct >= 30_000 || control.StreamCompletion.IsFaulted), TimeSpan.FromSeconds(60));
        await control.DrainAndShutdownAsync(TimeSpan.FromSeconds(20));

        Assert.Empty(ledger.Missing(logEnd));
        Assert.Empty(ledger.Duplicates);
        Assert.Equal(logEnd, Committed(Partitions));
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
}
