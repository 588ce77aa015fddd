using Akka.Actor;

namespace Aero.Actors.Hosting;

/// <summary>
/// An actor that lives once in the cluster, on the oldest member with <paramref name="Role"/> (a cluster singleton),
/// and moves when that member leaves or is downed. The node also starts a proxy to it under
/// <c>/user/{Name}-proxy</c>, so callers need not know where it lives.
/// </summary>
public sealed record HostedSingleton(string Name, string Role, Props Props)
{
    public string ProxyName => $"{Name}-proxy";

    /// <summary>The proxy's path on every node: messages sent here reach the singleton wherever it runs.</summary>
    public string ProxyPath => $"/user/{ProxyName}";
}
