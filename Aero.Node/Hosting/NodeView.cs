using Aero.Node.Configuration;

namespace Aero.Node.Hosting;

/// <summary>The settings a running node was started with, for its admin API.</summary>
public sealed record NodeView(ClusterSettings Cluster, AdminSettings Admin);
