using Aero.Node.Commands;
using Xunit;

namespace Aero.Node.Tests;

/// <summary>issue 13 §2 and §1.1: --once ends on the warehouse's offsets, whoever wrote them, and never waits silently.</summary>
public sealed class OnceWatchSpec
{
    private static readonly Dictionary<int, long> LogEnd = new() { [0] = 100, [1] = 50, [2] = 0 };
    private readonly ManualTime _time = new();

    [Fact]
    public void It_should_be_done_once_every_partition_reached_its_log_end()
    {
        var watch = new OnceWatch(LogEnd, TimeSpan.FromMinutes(2), _time);

        Assert.Equal(OnceOutcome.Waiting, watch.Observe(new Dictionary<int, long> { [0] = 100 }));
        // Partition 2 is empty: nothing to store, nothing stored.
        Assert.Equal(OnceOutcome.Done, watch.Observe(new Dictionary<int, long> { [0] = 100, [1] = 50 }));
        Assert.Equal(150, watch.Target);
    }

    [Fact]
    public void It_should_stall_when_the_offsets_do_not_move_for_the_stall_timeout_and_say_which_partitions_are_behind()
    {
        var watch = new OnceWatch(LogEnd, TimeSpan.FromMinutes(2), _time);
        var stuck = new Dictionary<int, long> { [0] = 40 };

        Assert.Equal(OnceOutcome.Waiting, watch.Observe(stuck));
        _time.Advance(TimeSpan.FromSeconds(119));
        Assert.Equal(OnceOutcome.Waiting, watch.Observe(stuck));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(OnceOutcome.Stalled, watch.Observe(stuck));

        var message = watch.StallMessage(stuck);
        Assert.Contains("aero.run.once-stall-timeout", message, StringComparison.Ordinal);
        Assert.Contains("reached 40 of 150", message, StringComparison.Ordinal);
        Assert.Contains("partition 0 at 40 of 100, 1 with nothing stored, log end 50.", message, StringComparison.Ordinal);
        Assert.Equal("the warehouse's offsets reached 40 of 150; 2 of 3 partitions behind", watch.Progress(stuck));
    }

    [Fact]
    public void Progress_should_restart_the_stall_clock()
    {
        var watch = new OnceWatch(LogEnd, TimeSpan.FromMinutes(2), _time);

        _time.Advance(TimeSpan.FromSeconds(90));
        Assert.Equal(OnceOutcome.Waiting, watch.Observe(new Dictionary<int, long> { [0] = 10 }));
        _time.Advance(TimeSpan.FromSeconds(90));
        Assert.Equal(OnceOutcome.Waiting, watch.Observe(new Dictionary<int, long> { [0] = 20 }));
        _time.Advance(TimeSpan.FromSeconds(90));
        Assert.Equal(OnceOutcome.Waiting, watch.Observe(new Dictionary<int, long> { [0] = 20 }));
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(OnceOutcome.Stalled, watch.Observe(new Dictionary<int, long> { [0] = 20 }));
    }

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
