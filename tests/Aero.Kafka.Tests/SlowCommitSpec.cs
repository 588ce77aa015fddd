using Aero.Kafka.Dsl;
using Aero.Kafka.Internal;
using Aero.Kafka.Messages;
using Aero.Kafka.Settings;
using Akka;
using Akka.Streams.Dsl;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Kafka.Tests;

/// <summary>
/// issue 13 §2: a commit must never hold up the consumer's poll loop. A commit waits on the group coordinator, and in a
/// rebalance the coordinator answers only once this member has rejoined, which it does from its polls: a loop that
/// waited for its own commit lost its generation (illegal generation), and with it the whole assignment.
/// </summary>
public sealed class SlowCommitSpec(ITestOutputHelper output) : KafkaSpecBase(output)
{
    private const int Partitions = 3;
    private const int Records = 3_000;

    [Fact]
    public async Task A_slow_commit_should_not_stop_the_consumer_from_polling()
    {
        var logEnd = Produce(Records, Partitions);
        var processed = 0;
        var control = KafkaConsumer.CommittableSource(ConsumerSettings, Subscription.ToTopics(Topic))
            .Select(message =>
            {
                if (Interlocked.Increment(ref processed) == 1)
                {
                    // The group is joined: from now on every answer of the broker, a commit's included, takes 2 s.
                    Kafka.SetRoundTripTime(1, TimeSpan.FromSeconds(2));
                }

                return (ICommittable)message.Offset;
            })
            .ToMaterialized(Committer.Sink(CommitterSettings.WithMaxBatch(100)), DrainingControl<Done>.Create)
            .Run(Materializer);
        var engine = ((ConsumerControl)control.Control).Engine;

        await AwaitConditionAsync(() => Task.FromResult(Volatile.Read(ref processed) >= 100), TimeSpan.FromSeconds(30));
        // The first commit is under way now and takes 2 s; the loop goes on polling every poll-timeout (50 ms).
        var longestWithoutPoll = TimeSpan.Zero;
        for (var sample = 0; sample < 30; sample++)
        {
            await Task.Delay(100);
            var sincePoll = engine.SinceLastPoll;
            longestWithoutPoll = sincePoll > longestWithoutPoll ? sincePoll : longestWithoutPoll;
        }

        Kafka.SetRoundTripTime(1, TimeSpan.Zero);
        await AwaitCommittedAsync(logEnd, () => control.StreamCompletion.IsFaulted, TimeSpan.FromSeconds(60));
        await control.DrainAndShutdownAsync(TimeSpan.FromSeconds(20));

        Assert.True(longestWithoutPoll < TimeSpan.FromSeconds(1), $"the loop went {longestWithoutPoll.TotalMilliseconds:F0} ms without polling while a commit took 2 s");
        Assert.Equal(logEnd, Committed(Partitions));
    }
}
