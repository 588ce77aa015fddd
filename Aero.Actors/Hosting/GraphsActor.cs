using Aero.Actors.Ingest;
using Akka.Actor;
using Akka.Event;
using Akka.Pattern;

namespace Aero.Actors.Hosting;

/// <summary>
/// Hosts a node's stream graphs, each as a <see cref="PipelineActor"/> under a <see cref="BackoffSupervisor"/> that
/// restarts it after failures with growing pauses. Graphs start on <see cref="StartGraphs"/> (the node is Up), drain
/// on <see cref="DrainGraphs"/> (shutdown) and pause or resume on request. A graph that ends without being asked to
/// (it failed past its restart budget) stops this actor, so the node stops rather than run without it.
/// </summary>
public sealed class GraphsActor : ReceiveActor
{
    private readonly IReadOnlyList<HostedGraph> _graphs;
    private readonly GraphBackoffSettings _backoff;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, GraphState> _states = [];
    private readonly Dictionary<string, IActorRef> _supervisors = [];
    private readonly Dictionary<string, StartCounter> _starts = [];

    public GraphsActor(IReadOnlyList<HostedGraph> graphs, GraphBackoffSettings backoff)
    {
        _graphs = graphs;
        _backoff = backoff;
        foreach (var graph in graphs)
        {
            _states[graph.Name] = GraphState.Waiting;
        }

        Receive<StartGraphs>(_ =>
        {
            foreach (var graph in _graphs.Where(g => _states[g.Name] == GraphState.Waiting))
            {
                Start(graph);
            }
        });
        Receive<DrainGraphs>(drain => Drain(null, drain.Timeout));
        Receive<PauseGraphs>(pause => Drain(pause.Name, pause.Timeout));
        Receive<ResumeGraphs>(resume =>
        {
            foreach (var graph in Selected(resume.Name).Where(g => _states[g.Name] == GraphState.Stopped))
            {
                Start(graph);
            }

            ReplyWithStatus(Sender);
        });
        Receive<GetGraphsStatus>(_ => ReplyWithStatus(Sender));
        Receive<GraphDrained>(drained =>
        {
            _states[drained.Name] = GraphState.Stopped;
            if (drained.Error is not null)
            {
                _log.Error(drained.Error, "Graph {0} did not drain cleanly", drained.Name);
            }
        });
        Receive<DrainDone>(done =>
        {
            if (done.Errors.Count == 0)
            {
                ReplyWithStatus(done.ReplyTo);
            }
            else
            {
                done.ReplyTo.Tell(new Status.Failure(new AggregateException("Some graphs did not drain cleanly", done.Errors)));
            }
        });
        Receive<Terminated>(terminated =>
        {
            var name = _supervisors.SingleOrDefault(s => s.Value.Equals(terminated.ActorRef)).Key;
            if (name is null)
            {
                return;
            }

            _supervisors.Remove(name);
            if (_states[name] is GraphState.Running)
            {
                // Past its restart budget, or a source that completed by itself: neither should go unnoticed.
                _states[name] = GraphState.Failed;
                _log.Error("Graph {0} stopped without being asked to; stopping the node's graphs", name);
                Context.Stop(Self);
            }
        });
    }

    public static Props Props(IReadOnlyList<HostedGraph> graphs, GraphBackoffSettings backoff) =>
        Akka.Actor.Props.Create(() => new GraphsActor(graphs, backoff));

    private IEnumerable<HostedGraph> Selected(string? name) =>
        _graphs.Where(g => name is null || string.Equals(g.Name, name, StringComparison.Ordinal));

    private void Start(HostedGraph graph)
    {
        // Counted here: the backoff supervisor's own restart count resets once a child has run for a while.
        var starts = _starts[graph.Name] = new StartCounter();
        var options = Backoff.OnFailure(
                PipelineActor.Props(graph.Name, materializer =>
                {
                    Interlocked.Increment(ref starts.Count);
                    return graph.Start(materializer);
                }), graph.Name, _backoff.MinBackoff, _backoff.MaxBackoff, _backoff.RandomFactor, _backoff.MaxRestarts)
            .WithSupervisorStrategy(new OneForOneStrategy(_backoff.MaxRestarts, Timeout.InfiniteTimeSpan, _ => Directive.Restart));
        var supervisor = Context.ActorOf(BackoffSupervisor.Props(options), $"{graph.Name}-supervisor-{Guid.NewGuid():N}");
        Context.Watch(supervisor);
        _supervisors[graph.Name] = supervisor;
        _states[graph.Name] = GraphState.Running;
        _log.Info("Graph {0} started (role {1})", graph.Name, graph.Role);
    }

    private void Drain(string? name, TimeSpan timeout)
    {
        var replyTo = Sender;
        var draining = new List<Task<Exception?>>();
        foreach (var graph in Selected(name))
        {
            if (_states[graph.Name] == GraphState.Waiting)
            {
                // Never started: nothing in flight, nothing to commit.
                _states[graph.Name] = GraphState.Stopped;
                continue;
            }

            if (_states[graph.Name] != GraphState.Running || !_supervisors.TryGetValue(graph.Name, out var supervisor))
            {
                continue;
            }

            _states[graph.Name] = GraphState.Draining;
            var graphName = graph.Name;
            var self = Self;
            // The backoff supervisor forwards to its child; the drained child stops, and so does its supervisor.
            draining.Add(supervisor.Ask<PipelineDrained>(new DrainPipeline(timeout), timeout + TimeSpan.FromSeconds(5))
                .ContinueWith(
                    t =>
                    {
                        var error = t.Exception?.GetBaseException();
                        self.Tell(new GraphDrained(graphName, error));
                        return error;
                    },
                    TaskScheduler.Default));
        }

        // Each GraphDrained is told before its task completes, so the status in the reply is already up to date.
        Task.WhenAll(draining).ContinueWith(t => new DrainDone(replyTo, t.Result.OfType<Exception>().ToList()), TaskScheduler.Default).PipeTo(Self);
    }

    private void ReplyWithStatus(IActorRef replyTo) =>
        replyTo.Tell(new GraphsStatus([.. _graphs.Select(g => new GraphStatus(g.Name, g.Role, _states[g.Name], Restarts(g.Name)))]));

    private int Restarts(string graph) =>
        _starts.TryGetValue(graph, out var starts) ? Math.Max(0, Volatile.Read(ref starts.Count) - 1) : 0;

    private sealed record GraphDrained(string Name, Exception? Error);

    private sealed record DrainDone(IActorRef ReplyTo, IReadOnlyList<Exception> Errors);

    private sealed class StartCounter
    {
        public int Count;
    }
}
