using Aero.Actors.Hosting;
using Aero.Kafka.Dsl;
using Akka;
using Akka.Actor;
using Akka.Streams;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Actors.Tests.Hosting;

public sealed class GraphsActorSpec(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("akka.loglevel = INFO", output: output)
{
    private const string Cause = "refused by the warehouse";
    private static readonly GraphBackoffSettings Backoff = new(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), 0, 3, TimeSpan.FromMinutes(1));
    private readonly List<ScriptedControl> _controls = [];
    private readonly List<GraphGaveUp> _gaveUp = [];
    private int _starts;

    [Fact]
    public async Task Graphs_should_not_start_before_the_node_is_up()
    {
        var graphs = Sys.ActorOf(Props([Graph("load", failures: 0)], Backoff));

        var waiting = await graphs.Ask<GraphsStatus>(GetGraphsStatus.Instance, TimeSpan.FromSeconds(3));
        graphs.Tell(StartGraphs.Instance);
        await AwaitConditionAsync(() => Task.FromResult(Volatile.Read(ref _starts) == 1), TimeSpan.FromSeconds(5));

        Assert.Equal(GraphState.Waiting, Assert.Single(waiting.Graphs).State);
        Assert.True((await graphs.Ask<GraphsStatus>(GetGraphsStatus.Instance, TimeSpan.FromSeconds(3))).AllRunning);
    }

    [Fact]
    public async Task A_failing_graph_should_be_restarted_with_backoff_and_its_restarts_counted()
    {
        var graphs = Sys.ActorOf(Props([Graph("load", failures: 2)], Backoff));

        graphs.Tell(StartGraphs.Instance);
        await AwaitConditionAsync(() => Task.FromResult(Volatile.Read(ref _starts) == 3), TimeSpan.FromSeconds(10));
        await AwaitConditionAsync(async () => Assert.Single((await Status(graphs)).Graphs).State == GraphState.Running, TimeSpan.FromSeconds(5));

        var status = Assert.Single((await Status(graphs)).Graphs);
        Assert.Equal(2, status.Restarts);
        Assert.Contains(Cause, status.LastFailure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_graph_failing_past_its_restart_budget_should_stop_the_graphs_actor()
    {
        var graphs = Sys.ActorOf(Props([Graph("load", failures: int.MaxValue)], Backoff));
        Watch(graphs);

        graphs.Tell(StartGraphs.Instance);

        await ExpectTerminatedAsync(graphs, TimeSpan.FromSeconds(10));
        // The first start and max-restarts restarts.
        Assert.Equal(1 + Backoff.MaxRestarts, Volatile.Read(ref _starts));
    }

    // issue 13 §1.6: a load failing on the same cause after running for a while was restarted forever (16 restarts in
    // 3 minutes): the restart budget was reset each time the graph outlived the shortest back-off.
    [Fact]
    public async Task A_graph_failing_with_the_same_cause_after_running_a_while_should_stop_the_node_with_that_cause()
    {
        var graphs = Sys.ActorOf(Props([FailingAfter("load", TimeSpan.FromMilliseconds(150), _ => Cause)], Backoff));
        Watch(graphs);

        graphs.Tell(StartGraphs.Instance);

        await ExpectTerminatedAsync(graphs, TimeSpan.FromSeconds(20));
        Assert.Equal(1 + Backoff.MaxRestarts, Volatile.Read(ref _starts));
        var gaveUp = Assert.Single(_gaveUp);
        Assert.Equal("load", gaveUp.Graph);
        Assert.Equal(1 + Backoff.MaxRestarts, gaveUp.Failures);
        Assert.Contains(Cause, gaveUp.Cause.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_graph_whose_start_throws_should_be_restarted_and_stop_the_node_with_that_cause()
    {
        var graphs = Sys.ActorOf(Props([new HostedGraph("load", "ingest", _ =>
        {
            Interlocked.Increment(ref _starts);
            throw new InvalidOperationException(Cause);
        })], Backoff));
        Watch(graphs);

        graphs.Tell(StartGraphs.Instance);

        await ExpectTerminatedAsync(graphs, TimeSpan.FromSeconds(10));
        Assert.Equal(1 + Backoff.MaxRestarts, Volatile.Read(ref _starts));
        Assert.Contains(Cause, Assert.Single(_gaveUp).Cause.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failures_with_different_causes_or_outside_the_window_should_not_stop_the_node()
    {
        // Each failure of one graph names its start, so no two share a cause; the other's share one, but each runs
        // longer than the window before it fails, so no two fall within it.
        var graphs = Sys.ActorOf(Props(
            [FailingAfter("varied", TimeSpan.FromMilliseconds(10), start => $"{Cause} at start {start}")],
            Backoff with { RestartWindow = TimeSpan.FromSeconds(30) }));
        var spaced = Sys.ActorOf(Props(
            [FailingAfter("spaced", TimeSpan.FromMilliseconds(200), _ => Cause)],
            Backoff with { RestartWindow = TimeSpan.FromMilliseconds(100) }));
        Watch(graphs);
        Watch(spaced);

        graphs.Tell(StartGraphs.Instance);
        spaced.Tell(StartGraphs.Instance);
        await AwaitConditionAsync(async () => (await Status(graphs)).Graphs.All(g => g.Restarts > 2 * Backoff.MaxRestarts), TimeSpan.FromSeconds(30));
        await AwaitConditionAsync(async () => Assert.Single((await Status(spaced)).Graphs).Restarts > 2 * Backoff.MaxRestarts, TimeSpan.FromSeconds(30));

        Assert.Empty(_gaveUp);
    }

    // issue 13 §1.6: SIGTERM during a back-off sent DrainPipeline to dead letters, waited out the drain timeout, and the
    // graph started once more after the signal.
    [Fact]
    public async Task Draining_a_graph_in_its_back_off_should_cancel_the_back_off_and_answer_at_once()
    {
        var slow = Backoff with { MinBackoff = TimeSpan.FromSeconds(2), MaxBackoff = TimeSpan.FromSeconds(2) };
        var graphs = Sys.ActorOf(Props([Graph("load", failures: int.MaxValue)], slow));
        graphs.Tell(StartGraphs.Instance);
        await AwaitConditionAsync(async () => Assert.Single((await Status(graphs)).Graphs).State == GraphState.BackingOff, TimeSpan.FromSeconds(5));

        var drained = await graphs.Ask<GraphsStatus>(new DrainGraphs(TimeSpan.FromSeconds(30)), TimeSpan.FromSeconds(1));

        Assert.Equal(GraphState.Stopped, Assert.Single(drained.Graphs).State);
        // Past the back-off it would have ended: no start after the drain.
        await Task.Delay(slow.MaxBackoff + TimeSpan.FromMilliseconds(500));
        Assert.Equal(1, Volatile.Read(ref _starts));
        Assert.Equal(GraphState.Stopped, Assert.Single((await Status(graphs)).Graphs).State);
    }

    // issue 13 §2: pausing during a back-off went to dead letters, and a later resume left an orphaned pipeline.
    [Fact]
    public async Task Pausing_a_graph_in_its_back_off_and_resuming_it_should_run_exactly_one_pipeline()
    {
        var slow = Backoff with { MinBackoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(1) };
        var graphs = Sys.ActorOf(Props([Graph("load", failures: 1)], slow));
        graphs.Tell(StartGraphs.Instance);
        await AwaitConditionAsync(async () => Assert.Single((await Status(graphs)).Graphs).State == GraphState.BackingOff, TimeSpan.FromSeconds(5));

        var paused = await graphs.Ask<GraphsStatus>(new PauseGraphs("load", TimeSpan.FromSeconds(30)), TimeSpan.FromSeconds(1));
        var resumed = await graphs.Ask<GraphsStatus>(new ResumeGraphs("load"), TimeSpan.FromSeconds(1));
        await Task.Delay(slow.MaxBackoff + TimeSpan.FromMilliseconds(500));

        Assert.Equal(GraphState.Stopped, Assert.Single(paused.Graphs).State);
        Assert.Equal(GraphState.Running, Assert.Single(resumed.Graphs).State);
        // The failed first start and the resumed one; the cancelled back-off started nothing.
        Assert.Equal(2, Volatile.Read(ref _starts));
        Assert.Single(_controls, c => !c.IsShutdown.IsCompleted);
    }

    [Fact]
    public async Task Draining_should_drain_every_graph_and_leave_them_stopped_without_failing_the_node()
    {
        var graphs = Sys.ActorOf(Props([Graph("load", failures: 0)], Backoff));
        Watch(graphs);
        graphs.Tell(StartGraphs.Instance);
        await AwaitConditionAsync(() => Task.FromResult(Volatile.Read(ref _starts) == 1), TimeSpan.FromSeconds(5));

        var drained = await graphs.Ask<GraphsStatus>(new DrainGraphs(TimeSpan.FromSeconds(5)), TimeSpan.FromSeconds(10));

        Assert.Equal(GraphState.Stopped, Assert.Single(drained.Graphs).State);
        Assert.Equal(1, Assert.Single(_controls).Drains);
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task A_paused_graph_should_drain_and_start_again_on_resume()
    {
        var graphs = Sys.ActorOf(Props([Graph("load", failures: 0), Graph("other", failures: 0)], Backoff));
        graphs.Tell(StartGraphs.Instance);
        await AwaitConditionAsync(() => Task.FromResult(Volatile.Read(ref _starts) == 2), TimeSpan.FromSeconds(5));

        var paused = await graphs.Ask<GraphsStatus>(new PauseGraphs("load", TimeSpan.FromSeconds(5)), TimeSpan.FromSeconds(10));
        var resumed = await graphs.Ask<GraphsStatus>(new ResumeGraphs("load"), TimeSpan.FromSeconds(10));

        Assert.Equal([GraphState.Stopped, GraphState.Running], paused.Graphs.Select(g => g.State));
        Assert.True(resumed.AllRunning);
        Assert.Equal(3, Volatile.Read(ref _starts));
    }

    private Props Props(IReadOnlyList<HostedGraph> graphs, GraphBackoffSettings backoff) => GraphsActor.Props(graphs, backoff, gaveUp =>
    {
        lock (_gaveUp)
        {
            _gaveUp.Add(gaveUp);
        }
    });

    private static Task<GraphsStatus> Status(IActorRef graphs) => graphs.Ask<GraphsStatus>(GetGraphsStatus.Instance, TimeSpan.FromSeconds(3));

    private ScriptedControl NewControl()
    {
        var control = new ScriptedControl();
        lock (_controls)
        {
            _controls.Add(control);
        }

        return control;
    }

    /// <summary>A graph whose first <paramref name="failures"/> starts fail at once, all with the same cause; later ones run until drained.</summary>
    private HostedGraph Graph(string name, int failures) => new(name, "ingest", _ =>
    {
        var start = Interlocked.Increment(ref _starts);
        var control = NewControl();
        return start <= failures
            ? DrainingControl<Done>.Create(control, Task.FromException<Done>(new InvalidOperationException(Cause)))
            : DrainingControl<Done>.Create(control, control.IsShutdown.ContinueWith(_ => Done.Instance, TaskScheduler.Default));
    });

    /// <summary>A graph that runs for <paramref name="running"/>, then fails with the message <paramref name="cause"/> gives for its start.</summary>
    private HostedGraph FailingAfter(string name, TimeSpan running, Func<int, string> cause) => new(name, "ingest", _ =>
    {
        var start = Interlocked.Increment(ref _starts);
        var control = NewControl();
        var failed = Task.Delay(running).ContinueWith<Done>(_ => throw new InvalidOperationException(cause(start)), TaskScheduler.Default);
        return DrainingControl<Done>.Create(control, failed);
    });
}
