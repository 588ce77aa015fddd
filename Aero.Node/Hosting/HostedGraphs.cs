using Aero.Actors.Hosting;
using Akka;
using Akka.Actor;
using Akka.Event;

namespace Aero.Node.Hosting;

/// <summary>
/// What the host knows of its <see cref="GraphsActor"/>: the actor once started, when it stopped and why, and how the
/// drain in CoordinatedShutdown went. Filled in by <see cref="AeroHostingExtensions.WithHostedGraphs"/>.
/// </summary>
public sealed class HostedGraphs
{
    private readonly TaskCompletionSource<bool> _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<IActorRef> _actor = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _stopped = Task.CompletedTask;
    private volatile GraphGaveUp? _gaveUp;
    private volatile GraphsStatus? _drainedStatus;

    public HostedGraphs(IReadOnlyList<HostedGraph> graphs) => Graphs = graphs;

    /// <summary>Every graph offered; a node runs those of its roles.</summary>
    public IReadOnlyList<HostedGraph> Graphs { get; }

    /// <summary>The <see cref="GraphsActor"/>; it stops by itself only when a graph failed past its restarts (<see cref="GaveUp"/>).</summary>
    public Task<IActorRef> Actor => _actor.Task;

    /// <summary>Completes when the <see cref="GraphsActor"/> stopped: a graph failed past its restarts, or the node stopped.</summary>
    public Task Stopped => _stopped;

    /// <summary>Why the graphs stopped by themselves: the graph that kept failing with one cause, and that cause.</summary>
    public GraphGaveUp? GaveUp => _gaveUp;

    /// <summary>After a drain: each graph's state, restarts and latest failure.</summary>
    public GraphsStatus? DrainedStatus => _drainedStatus;

    /// <summary>Whether every graph drained and committed; false once nothing could drain (the system had gone).</summary>
    public Task<bool> Drained => _drained.Task;

    internal Action<GraphGaveUp> OnGaveUp => gaveUp => _gaveUp = gaveUp;

    internal void Started(IActorRef actor)
    {
        _actor.TrySetResult(actor);
        _stopped = actor.WatchAsync();
    }

    /// <summary>Nothing drained: the system stopped without CoordinatedShutdown's drain running.</summary>
    internal void NothingDrained() => _drained.TrySetResult(false);

    /// <summary>CoordinatedShutdown's task: drain every graph (stop consuming, finish in-flight records, commit).</summary>
    internal async Task<Done> DrainAsync(ActorSystem system, TimeSpan timeout)
    {
        if (_stopped.IsCompleted || !_actor.Task.IsCompleted)
        {
            NothingDrained();
            return Done.Instance;
        }

        try
        {
            var status = await _actor.Task.Result.Ask<GraphsStatus>(new DrainGraphs(timeout), timeout + TimeSpan.FromSeconds(5));
            _drainedStatus = status;
            _drained.TrySetResult(status.Graphs.All(g => g.State == GraphState.Stopped));
        }
        catch (Exception error)
        {
            system.Log.Error(error, "The graphs did not drain");
            NothingDrained();
        }

        return Done.Instance;
    }
}
