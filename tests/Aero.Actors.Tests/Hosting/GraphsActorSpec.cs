using Aero.Actors.Hosting;
using Aero.Streams.Kafka;
using Akka;
using Akka.Actor;
using Akka.Streams;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Actors.Tests.Hosting;

public sealed class GraphsActorSpec(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("akka.loglevel = INFO", output: output)
{
    private static readonly GraphBackoffSettings Backoff = new(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), 0, 3);
    private readonly List<ScriptedControl> _controls = [];
    private int _starts;

    [Fact]
    public async Task Graphs_should_not_start_before_the_node_is_up()
    {
        var graphs = Sys.ActorOf(GraphsActor.Props([Graph("load", failures: 0)], Backoff));

        var waiting = await graphs.Ask<GraphsStatus>(GetGraphsStatus.Instance, TimeSpan.FromSeconds(3));
        graphs.Tell(StartGraphs.Instance);
        await AwaitConditionAsync(() => Task.FromResult(Volatile.Read(ref _starts) == 1), TimeSpan.FromSeconds(5));

        Assert.Equal(GraphState.Waiting, Assert.Single(waiting.Graphs).State);
        Assert.True((await graphs.Ask<GraphsStatus>(GetGraphsStatus.Instance, TimeSpan.FromSeconds(3))).AllRunning);
    }

    [Fact]
    public async Task A_failing_graph_should_be_restarted_with_backoff_and_its_restarts_counted()
    {
        var graphs = Sys.ActorOf(GraphsActor.Props([Graph("load", failures: 2)], Backoff));

        graphs.Tell(StartGraphs.Instance);
        await AwaitConditionAsync(() => Task.FromResult(Volatile.Read(ref _starts) == 3), TimeSpan.FromSeconds(10));

        var status = Assert.Single((await graphs.Ask<GraphsStatus>(GetGraphsStatus.Instance, TimeSpan.FromSeconds(3))).Graphs);
        Assert.Equal(GraphState.Running, status.State);
        Assert.Equal(2, status.Restarts);
    }

    [Fact]
    public async Task A_graph_failing_past_its_restart_budget_should_stop_the_graphs_actor()
    {
        var graphs = Sys.ActorOf(GraphsActor.Props([Graph("load", failures: int.MaxValue)], Backoff));
        Watch(graphs);

        graphs.Tell(StartGraphs.Instance);

        await ExpectTerminatedAsync(graphs, TimeSpan.FromSeconds(10));
        // The first start and max-restarts restarts.
        Assert.Equal(1 + Backoff.MaxRestarts, Volatile.Read(ref _starts));
    }

    [Fact]
    public async Task Draining_should_drain_every_graph_and_leave_them_stopped_without_failing_the_node()
    {
        var graphs = Sys.ActorOf(GraphsActor.Props([Graph("load", failures: 0)], Backoff));
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
        var graphs = Sys.ActorOf(GraphsActor.Props([Graph("load", failures: 0), Graph("other", failures: 0)], Backoff));
        graphs.Tell(StartGraphs.Instance);
        await AwaitConditionAsync(() => Task.FromResult(Volatile.Read(ref _starts) == 2), TimeSpan.FromSeconds(5));

        var paused = await graphs.Ask<GraphsStatus>(new PauseGraphs("load", TimeSpan.FromSeconds(5)), TimeSpan.FromSeconds(10));
        var resumed = await graphs.Ask<GraphsStatus>(new ResumeGraphs("load"), TimeSpan.FromSeconds(10));

        Assert.Equal([GraphState.Stopped, GraphState.Running], paused.Graphs.Select(g => g.State));
        Assert.True(resumed.AllRunning);
        Assert.Equal(3, Volatile.Read(ref _starts));
    }

    /// <summary>A graph whose first <paramref name="failures"/> starts fail at once; later ones run until drained.</summary>
    private HostedGraph Graph(string name, int failures) => new(name, "ingest", _ =>
    {
        var start = Interlocked.Increment(ref _starts);
        var control = new ScriptedControl();
        lock (_controls)
        {
            _controls.Add(control);
        }

        return start <= failures
            ? DrainingControl<Done>.Create(control, Task.FromException<Done>(new InvalidOperationException($"start {start} failed")))
            : DrainingControl<Done>.Create(control, control.IsShutdown.ContinueWith(_ => Done.Instance, TaskScheduler.Default));
    });
}
