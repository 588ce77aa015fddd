namespace Aero.Actors.Hosting;

/// <summary>
/// A graph failed <paramref name="Failures"/> times with the same cause within <paramref name="Window"/>, more than
/// <c>aero.graphs.backoff.max-restarts</c> allows: <see cref="GraphsActor"/> stops, and with it the node.
/// </summary>
public sealed record GraphGaveUp(string Graph, Exception Cause, int Failures, TimeSpan Window);
