using Aero.Actors.Ingest;
using Akka.Actor;
using Akka.Event;

namespace Aero.Actors.Hosting;

/// <summary>
/// Hosts a node's stream graphs, each as a <see cref="PipelineActor"/> that this actor restarts after a failure once a
/// back-off has passed (<c>aero.graphs.backoff</c>: doubling from min to max with the failures in the restart window).
/// Graphs start on <see cref="StartGraphs"/> (the node is Up), drain on <see cref="DrainGraphs"/> (shutdown) and pause
/// or resume on request; a graph in its back-off has nothing in flight, so draining or pausing it only cancels the
/// back-off, and a drain asked for while one is in progress waits for that one and reports its outcome. A graph that
/// fails more than <c>max-restarts</c> times with the same cause within <c>restart-window</c>, or that ends without
/// being asked to, stops this actor (telling <see cref="GraphGaveUp"/> first), so the node stops with that cause rather
/// than restart forever or run without the graph.
/// </summary>
public sealed class GraphsActor : ReceiveActor, IWithTimers
{
    private readonly IReadOnlyList<GraphRun> _runs;
    private readonly GraphBackoffSettings _backoff;
    private readonly Action<GraphGaveUp>? _gaveUp;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public GraphsActor(IReadOnlyList<HostedGraph> graphs, GraphBackoffSettings backoff, Action<GraphGaveUp>? gaveUp)
    {
        _runs = [.. graphs.Select(g => new GraphRun(g))];
        _backoff = backoff;
        _gaveUp = gaveUp;

        Receive<StartGraphs>(_ =>
        {
            foreach (var run in _runs.Where(r => r.State == GraphState.Waiting))
            {
                Start(run);
            }
        });
        Receive<DrainGraphs>(drain => Drain(null, drain.Timeout));
        Receive<PauseGraphs>(pause => Drain(pause.Name, pause.Timeout));
        Receive<ResumeGraphs>(resume =>
        {
            foreach (var run in Selected(resume.Name).Where(r => r.State == GraphState.Stopped))
            {
                run.Starts = 0;
                Start(run);
            }

            ReplyWithStatus(Sender);
        });
        Receive<GetGraphsStatus>(_ => ReplyWithStatus(Sender));
        Receive<RestartGraph>(restart =>
        {
            var run = Run(restart.Name);
            if (run.State == GraphState.BackingOff && run.Generation == restart.Generation)
            {
                Start(run);
            }
        });
        Receive<GraphDrained>(drained =>
        {
            var run = Run(drained.Name);
            if (run.State != GraphState.Draining || run.Generation != drained.Generation)
            {
                return;
            }

            run.State = GraphState.Stopped;
            if (drained.Error is not null)
            {
                _log.Error(drained.Error, "Graph {0} did not drain cleanly", drained.Name);
                // A drain that timed out may leave the pipeline running: stopping it closes its consumer.
                if (run.Pipeline is not null)
                {
                    Context.Stop(run.Pipeline);
                }
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
            var run = _runs.FirstOrDefault(r => terminated.ActorRef.Equals(r.Pipeline));
            if (run is null)
            {
                return;
            }

            run.Pipeline = null;
            var failure = run.PendingFailure;
            run.PendingFailure = null;
            if (run.State != GraphState.Running)
            {
                // Drained (paused or shutting down): stopped as asked.
                return;
            }

            if (failure is null)
            {
                GiveUp(run, new InvalidOperationException($"Graph {run.Graph.Name} stopped without being asked to (its source completed)"), failures: 0);
            }
            else
            {
                OnFailure(run, failure);
            }
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IReadOnlyList<HostedGraph> graphs, GraphBackoffSettings backoff, Action<GraphGaveUp>? gaveUp = null) =>
        Akka.Actor.Props.Create(() => new GraphsActor(graphs, backoff, gaveUp));

    /// <summary>A failed pipeline stops; this actor decides whether and when it starts again.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(error =>
    {
        // Runs on this actor's thread, before the pipeline's Terminated arrives.
        var failed = error as PipelineFailedException ?? error.InnerException as PipelineFailedException;
        if (failed is not null && _runs.FirstOrDefault(r => r.Graph.Name == failed.Pipeline) is { } run)
        {
            run.PendingFailure = failed.InnerException ?? failed;
        }
        else
        {
            _log.Error(error, "A child of the graphs actor failed outside any graph");
        }

        return Directive.Stop;
    });

    private IEnumerable<GraphRun> Selected(string? name) => _runs.Where(r => name is null || string.Equals(r.Graph.Name, name, StringComparison.Ordinal));

    private GraphRun Run(string name) => _runs.Single(r => r.Graph.Name == name);

    private void Start(GraphRun run)
    {
        run.Generation++;
        run.Starts++;
        run.PendingFailure = null;
        // A name per start: a drained pipeline may still be stopping when its successor starts.
        run.Pipeline = Context.ActorOf(PipelineActor.Props(run.Graph.Name, run.Graph.Start), $"{run.Graph.Name}-{run.Generation}");
        Context.Watch(run.Pipeline);
        run.State = GraphState.Running;
        _log.Info("Graph {0} started (role {1})", run.Graph.Name, run.Graph.Role);
    }

    private void OnFailure(GraphRun run, Exception failure)
    {
        var now = DateTime.UtcNow;
        var cause = CauseOf(failure);
        run.Failures.RemoveAll(f => now - f.At > _backoff.RestartWindow);
        run.Failures.Add((cause, now));
        run.LastFailure = failure;
        var sameCause = run.Failures.Count(f => f.Cause == cause);
        if (sameCause > _backoff.MaxRestarts)
        {
            GiveUp(run, failure, sameCause);
            return;
        }

        var delay = Delay(run.Failures.Count);
        run.State = GraphState.BackingOff;
        _log.Warning(
            "Graph {0} failed ({1} of at most {2} failures with this cause within {3}); starting it again in {4:0.0} s. Cause: {5}",
            run.Graph.Name, sameCause, _backoff.MaxRestarts + 1, _backoff.RestartWindow, delay.TotalSeconds, failure.Message);
        Timers.StartSingleTimer(run.Graph.Name, new RestartGraph(run.Graph.Name, run.Generation), delay);
    }

    private void GiveUp(GraphRun run, Exception cause, int failures)
    {
        run.State = GraphState.Failed;
        run.LastFailure = cause;
        _log.Error(cause, "Graph {0} failed {1} times with the same cause within {2}; stopping the node's graphs. Cause: {3}", run.Graph.Name, failures, _backoff.RestartWindow, cause.Message);
        _gaveUp?.Invoke(new GraphGaveUp(run.Graph.Name, cause, failures, _backoff.RestartWindow));
        Context.Stop(Self);
    }

    /// <summary>Doubles from min with each failure in the window, up to max, stretched by up to random-factor.</summary>
    private TimeSpan Delay(int failuresInWindow)
    {
        var doubled = _backoff.MinBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(failuresInWindow - 1, 30));
        var delay = Math.Min(doubled, _backoff.MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(delay * (1 + (Random.Shared.NextDouble() * _backoff.RandomFactor)));
    }

    /// <summary>Failures are "the same" when their innermost exceptions have the same type and message.</summary>
    private static string CauseOf(Exception failure)
    {
        var root = failure.GetBaseException();
        return $"{root.GetType().FullName}: {root.Message}";
    }

    private void Drain(string? name, TimeSpan timeout)
    {
        var replyTo = Sender;
        var draining = new List<Task<Exception?>>();
        foreach (var run in Selected(name))
        {
            switch (run.State)
            {
                case GraphState.Waiting:
                    // Never started: nothing in flight, nothing to commit.
                    run.State = GraphState.Stopped;
                    break;
                case GraphState.BackingOff:
                    // Failed and not yet started again: nothing in flight. The restart must not come after the stop.
                    Timers.Cancel(run.Graph.Name);
                    run.State = GraphState.Stopped;
                    _log.Info("Graph {0} stopped during its back-off", run.Graph.Name);
                    break;
                case GraphState.Running when run.Pipeline is not null:
                    run.State = GraphState.Draining;
                    var (graphName, generation, self) = (run.Graph.Name, run.Generation, Self);
                    run.Drain = run.Pipeline.Ask<PipelineDrained>(new DrainPipeline(timeout), timeout + TimeSpan.FromSeconds(5))
                        .ContinueWith(
                            t =>
                            {
                                var error = t.Exception?.GetBaseException();
                                self.Tell(new GraphDrained(graphName, generation, error));
                                return error;
                            },
                            TaskScheduler.Default);
                    draining.Add(run.Drain);
                    break;
                case GraphState.Draining when run.Drain is not null:
                    // Already draining (a pause, then a shutdown): this request waits for the same drain and its outcome.
                    draining.Add(run.Drain);
                    break;
            }
        }

        // Each GraphDrained is told before its task completes, so the status in the reply is already up to date.
        Task.WhenAll(draining).ContinueWith(t => new DrainDone(replyTo, t.Result.OfType<Exception>().ToList()), TaskScheduler.Default).PipeTo(Self);
    }

    private void ReplyWithStatus(IActorRef replyTo) =>
        replyTo.Tell(new GraphsStatus([.. _runs.Select(r => new GraphStatus(r.Graph.Name, r.Graph.Role, r.State, Math.Max(0, r.Starts - 1), r.LastFailure?.Message))]));

    private sealed record RestartGraph(string Name, int Generation);

    private sealed record GraphDrained(string Name, int Generation, Exception? Error);

    private sealed record DrainDone(IActorRef ReplyTo, IReadOnlyList<Exception> Errors);

    /// <summary>One hosted graph's life: its pipeline, state, starts since it was last started by hand, and recent failures.</summary>
    private sealed class GraphRun(HostedGraph graph)
    {
        public HostedGraph Graph { get; } = graph;

        public GraphState State { get; set; } = GraphState.Waiting;

        public IActorRef? Pipeline { get; set; }

        /// <summary>Counts starts, so a restart timer or drain answer from an earlier start is recognised and ignored.</summary>
        public int Generation { get; set; }

        public int Starts { get; set; }

        /// <summary>The drain in progress (or last done): every drain request while it runs waits for it. Its error, if any.</summary>
        public Task<Exception?>? Drain { get; set; }

        /// <summary>Set by the supervisor strategy, read when the failed pipeline's Terminated arrives.</summary>
        public Exception? PendingFailure { get; set; }

        public Exception? LastFailure { get; set; }

        public List<(string Cause, DateTime At)> Failures { get; } = [];
    }
}
