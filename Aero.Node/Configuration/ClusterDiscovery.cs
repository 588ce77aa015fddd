namespace Aero.Node.Configuration;

/// <summary>How a node finds the cluster it joins: <c>aero.cluster.discovery</c>.</summary>
public enum ClusterDiscovery
{
    /// <summary>Join <c>aero.cluster.seed-nodes</c>; with none, form a cluster of one.</summary>
    SeedNodes,

    /// <summary>Akka.Management cluster bootstrap over pods listed by the Kubernetes API.</summary>
    KubernetesApi,
}
