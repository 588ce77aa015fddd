namespace Aero.Node.Admin;

/// <summary>The answer to <see cref="GetClusterEvents"/>: events oldest first.</summary>
public sealed record RecentClusterEvents(IReadOnlyList<ClusterEventEntry> Events);
