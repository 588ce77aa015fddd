namespace Aero.Node.Tests.Cluster;

/// <summary>A running <c>aero run</c> node of a <see cref="LoopbackCluster"/>: its process, admin endpoint (host:port) and config file.</summary>
public sealed record ClusterNode(AeroProcess Process, string Admin, string Config);
