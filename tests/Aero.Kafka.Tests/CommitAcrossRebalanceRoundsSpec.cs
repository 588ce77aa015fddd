using System.Diagnostics;
using Aero.Kafka.Dsl;
using Aero.Kafka.Settings;
using Akka;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Kafka.Tests;

/// <summary>
/// issue 13 §2: a commit cannot succeed while the group rebalances. The coordinator answers a member's join only when
/// the round ends, a commit sent meanwhile queues behind the join on the same connection and then fails with the old
/// generation, and a cooperative handover takes two rounds. The commit timeout is the alarm for a group that makes no
/// progress, so only time without a completed round may count against it; a handover that takes longer in all must
/// not fail the stream.
/// </summary>
[Collection(GroupRebalances.Name)]
public sealed class CommitAcrossRebalanceRoundsSpec(ITestOutputHelper output) : KafkaSpecBase(output)
{
    private const int Partitions = 6;
    private const int Records = 30_000;
    private static readonly TimeSpan CommitTimeout = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task A_commit_waiting_through_rebalance_rounds_should_complete_once_the_group_settles()
    {
        var logEnd = Produce(Records, Partitions);
        var ledger = new OffsetLedger();
        // The embedded broker ends a round 1 s before the session timeout: 2 s rounds, two of them per handover.
        var settings = ConsumerSettings.WithProperty("session.timeout.ms", "3000").WithCommitTimeout(CommitTimeout);

        var first = Run(settings, "first", ledger, null);
        await AwaitConditionAsync(() => Task.FromResult(ledger.Total >= 3_000), TimeSpan.FromSeconds(30));
        var secondsFirstRecord = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var joining = Stopwatch.StartNew();
        var second = Run(settings, "second", ledger, () => secondsFirstRecord.TrySetResult(joining.Elapsed));

        await AwaitCommittedAsync(logEnd, () => first.StreamCompletion.IsFaulted || second.StreamCompletion.IsFaulted, TimeSpan.FromSeconds(60));
        Assert.False(first.StreamCompletion.IsFaulted, $"the first member's stream failed: {first.StreamCompletion.Exception?.GetBaseException().Message}");
        Assert.False(second.StreamCompletion.IsFaulted, $"the second member's stream failed: {second.StreamCompletion.Exception?.GetBaseException().Message}");
        await Task.WhenAll(first.DrainAndShutdownAsync(TimeSpan.FromSeconds(20)), second.DrainAndShutdownAsync(TimeSpan.FromSeconds(20)));

        // The condition under test did occur: the handover outlasted the commit timeout while the first member committed.
        Assert.True(secondsFirstRecord.Task.IsCompleted, "the second member never received a partition");
        Assert.True(await secondsFirstRecord.Task > CommitTimeout, $"the handover took {(await secondsFirstRecord.Task).TotalSeconds:F1} s, within the commit timeout");
        Assert.Empty(ledger.Missing(logEnd));
        Assert.Equal(logEnd, Committed(Partitions));
    }

    private DrainingControl<Done> Run(ConsumerSettings settings, string name, OffsetLedger ledger, Action? onRecord) =>
        GroupMember.Run(settings, CommitterSettings, Topic, Materializer, name, ledger, onRecord);
}
