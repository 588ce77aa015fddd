namespace Aero.Node.Admin;

/// <summary>Asks <see cref="ClusterEventsActor"/> for its latest <paramref name="Count"/> events, oldest first.</summary>
public sealed record GetClusterEvents(int Count);
