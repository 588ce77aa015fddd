namespace Aero.Actors.Hosting;

/// <summary>The state of each graph a node hosts.</summary>
public sealed record GraphsStatus(IReadOnlyList<GraphStatus> Graphs)
{
    /// <summary>Every graph is running (a node with no graphs counts as running).</summary>
    public bool AllRunning => Graphs.All(g => g.State == GraphState.Running);
}
