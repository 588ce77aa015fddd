using Akka.Actor;

namespace Aero.Node.Admin;

/// <summary>What admin verbs act on: the node's ActorSystem and the actors that answer for its graphs and cluster events.</summary>
/// <param name="DrainTimeout">How long pausing a graph may take (<c>aero.drain-timeout</c>).</param>
public sealed record AdminContext(ActorSystem System, IActorRef Graphs, IActorRef ClusterEvents, TimeSpan DrainTimeout);
