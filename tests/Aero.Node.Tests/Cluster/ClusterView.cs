namespace Aero.Node.Tests.Cluster;

/// <summary>What <c>aero cluster show --json</c> printed: the node's own address, the members (address, status) and where the coordinator runs.</summary>
public sealed record ClusterView(string Self, IReadOnlyList<(string Address, string Status)> Members, string? Coordinator);
