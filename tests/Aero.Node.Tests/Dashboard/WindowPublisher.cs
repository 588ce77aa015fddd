using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Configuration;

namespace Aero.Node.Tests.Dashboard;

/// <summary>
/// An ActorSystem of this test process that joins a node's cluster (on loopback) and publishes to its distributed
/// pub-sub, standing in for the windows' finalizer; it leaves the cluster gracefully when disposed.
/// </summary>
public sealed class WindowPublisher : IAsyncDisposable
{
    private readonly ActorSystem _system;

    private WindowPublisher(ActorSystem system) => _system = system;

    /// <param name="node">The node's address as it prints it, e.g. akka.tcp://aero@127.0.0.1:4053.</param>
    public static async Task<WindowPublisher> JoinAsync(string node, TimeSpan timeout)
    {
        var address = Address.Parse(node);
        var system = ActorSystem.Create(address.System, ConfigurationFactory.ParseString($$"""
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp.hostname = "127.0.0.1"
            akka.remote.dot-netty.tcp.port = 0
            akka.cluster.roles = ["dashboard-spec"]
            akka.cluster.downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
            akka.cluster.split-brain-resolver.active-strategy = keep-majority
            akka.cluster.failure-detector.acceptable-heartbeat-pause = 5s
            akka.loglevel = WARNING
            """));
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cluster = Akka.Cluster.Cluster.Get(system);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        cluster.Join(address);
        await up.Task.WaitAsync(timeout);
        return new WindowPublisher(system);
    }

    public void Publish(string topic, object message) => DistributedPubSub.Get(_system).Mediator.Tell(new Publish(topic, message));

    public async ValueTask DisposeAsync()
    {
        await CoordinatedShutdown.Get(_system).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);
        await _system.WhenTerminated;
    }
}
