namespace Aero.Actors.Hosting;

/// <summary>Where a hosted graph is in its life.</summary>
public enum GraphState
{
    /// <summary>Waiting for the node to join the cluster.</summary>
    Waiting,

    /// <summary>Consuming.</summary>
    Running,

    /// <summary>Failed, waiting out its back-off before it starts again.</summary>
    BackingOff,

    /// <summary>Draining: no longer consuming, finishing in-flight records and committing.</summary>
    Draining,

    /// <summary>Drained and stopped by <see cref="PauseGraphs"/> or <see cref="DrainGraphs"/>.</summary>
    Stopped,

    /// <summary>Failed more often than <c>aero.graphs.backoff.max-restarts</c> with one cause, or completed by itself.</summary>
    Failed,
}
