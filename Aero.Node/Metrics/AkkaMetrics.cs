using Prometheus;

namespace Aero.Node.Metrics;

/// <summary>
/// Actor and cluster metrics under the names and labels Phobos' Grafana dashboards query, so those dashboards work
/// against an Aero node with little editing.
/// </summary>
public static class AkkaMetrics
{
    public static readonly Counter MessagesReceived = Prometheus.Metrics.CreateCounter(
        "akka_messages_recv_total", "Messages actors took from their mailboxes, by actor type (actors on the default mailbox)", "actortype");

    public static readonly Gauge ActorsLive = Prometheus.Metrics.CreateGauge("akka_actor_live", "Live actors on this node, by actor type, at scrape time", "actortype");

    public static readonly Counter Restarts = Prometheus.Metrics.CreateCounter(
        "akka_actor_restarts_total", "Actor restarts after a failure, by actor type and exception type", "actortype", "exceptiontype");

    public static readonly Gauge MailboxDepth = Prometheus.Metrics.CreateGauge(
        "akka_actor_mailbox_depth", "Messages waiting in mailboxes, summed by actor type, at scrape time", "actortype");

    public static readonly Counter DeadLetters = Prometheus.Metrics.CreateCounter(
        "akka_deadletters_total", "Messages that reached no actor, by kind (DeadLetter, Dropped, UnhandledMessage, SuppressedDeadLetter)", "kind");

    public static readonly Gauge ClusterMembers = Prometheus.Metrics.CreateGauge("akka_cluster_members", "Cluster members as this node sees them, by status", "status");

    public static readonly Gauge UnreachableMembers = Prometheus.Metrics.CreateGauge("akka_cluster_unreachable_members", "Members this node sees as unreachable");
}
