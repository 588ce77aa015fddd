using Akka.Actor;
using Akka.Cluster;

namespace Aero.Node.Admin;

/// <summary>
/// Keeps the node's latest cluster events (membership, reachability, leader) in a ring buffer for
/// <c>aero cluster tail</c>: an operator arriving after an incident still sees what led to it.
/// </summary>
public sealed class ClusterEventsActor : ReceiveActor
{
    private readonly Queue<ClusterEventEntry> _events = new();
    private readonly int _kept;

    public ClusterEventsActor(int kept)
    {
        _kept = kept;
        Receive<ClusterEvent.IMemberEvent>(e => Add(e.GetType().Name, e.Member));
        Receive<ClusterEvent.UnreachableMember>(e => Add(nameof(ClusterEvent.UnreachableMember), e.Member));
        Receive<ClusterEvent.ReachableMember>(e => Add(nameof(ClusterEvent.ReachableMember), e.Member));
        Receive<ClusterEvent.LeaderChanged>(e => Add(nameof(ClusterEvent.LeaderChanged), e.Leader?.ToString() ?? "", ""));
        Receive<ClusterEvent.ClusterShuttingDown>(_ => Add(nameof(ClusterEvent.ClusterShuttingDown), "", ""));
        Receive<GetClusterEvents>(get => Sender.Tell(new RecentClusterEvents([.. _events.Skip(Math.Max(0, _events.Count - get.Count))])));
    }

    public static Props Props(int kept) => Akka.Actor.Props.Create(() => new ClusterEventsActor(kept));

    protected override void PreStart() =>
        // As events, so the tail starts with how this node found the cluster.
        Cluster.Get(Context.System).Subscribe(
            Self,
            ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent),
            typeof(ClusterEvent.IReachabilityEvent),
            typeof(ClusterEvent.LeaderChanged),
            typeof(ClusterEvent.ClusterShuttingDown));

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);

    private void Add(string name, Member member) => Add(name, member.Address.ToString(), member.Status.ToString());

    private void Add(string name, string member, string status)
    {
        if (_events.Count == _kept)
        {
            _events.Dequeue();
        }

        _events.Enqueue(new ClusterEventEntry(DateTimeOffset.UtcNow, name, member, status));
    }
}
