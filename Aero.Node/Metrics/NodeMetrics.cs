using Aero.Kafka;
using Aero.Streams.Extract;
using Aero.Streams.Transform;
using Aero.Warehouse;
using Akka.Actor;
using Akka.Cluster;
using Microsoft.AspNetCore.Builder;
using Prometheus;

namespace Aero.Node.Metrics;

/// <summary>
/// The node's Prometheus endpoint, <c>/metrics</c>: Akka's actor and cluster metrics (<see cref="AkkaMetrics"/>), the
/// pipeline's System.Diagnostics.Metrics meters (Aero.Kafka, Aero.Extract, Aero.Warehouse, Aero.Windows, Aero.Jobs, ...) through <see cref="MeterBridge"/>,
/// and prometheus-net's process metrics.
/// </summary>
public static class NodeMetrics
{
    /// <summary>The meters exported; others (ASP.NET Core's, the runtime's) would add series nobody asked for.</summary>
    public static readonly IReadOnlyList<string> Meters = [KafkaMetrics.MeterName, ExtractMetrics.MeterName, TransformMetrics.MeterName, WarehouseMetrics.MeterName, Aero.Streams.Archive.ArchiveMetrics.MeterName, Aero.Actors.Windows.WindowMetrics.MeterName, Aero.Actors.Jobs.JobMetrics.MeterName];

    private static readonly string[] MemberStatuses = [.. Enum.GetNames<MemberStatus>()];

    /// <summary>HOCON the node adds: restart events for <see cref="ActorTelemetryActor"/>, and <see cref="CountingMailbox"/> for every actor on the default mailbox.</summary>
    public const string AkkaConfig = """
        akka.actor.telemetry.enabled = on
        akka.actor.default-mailbox.mailbox-type = "Aero.Node.Metrics.CountingMailbox, aero"
        """;

    /// <summary>
    /// Once per process, before any meter records: our own bridge instead of prometheus-net's default meter adapter
    /// (see <see cref="MeterBridge"/>), and no EventCounter series (ASP.NET Core's and the runtime's, which nobody asked
    /// for); process metrics stay.
    /// </summary>
    public static MeterBridge BridgeMeters()
    {
        Prometheus.Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions { SuppressMeters = true, SuppressEventCounters = true });
        return new MeterBridge(Meters);
    }

    /// <summary>Starts the restart and dead-letter listener; samples cluster membership, live actors and mailbox depths at each scrape.</summary>
    public static void Start(ActorSystem system)
    {
        system.ActorOf(ActorTelemetryActor.Props(), "metrics-telemetry");
        var cluster = Cluster.Get(system);
        Prometheus.Metrics.DefaultRegistry.AddBeforeCollectCallback(() =>
        {
            var state = cluster.State;
            foreach (var status in MemberStatuses)
            {
                AkkaMetrics.ClusterMembers.WithLabels(status).Set(state.Members.Count(m => m.Status.ToString() == status));
            }

            AkkaMetrics.UnreachableMembers.Set(state.Unreachable.Count);
            var census = ActorCensus.Take((ExtendedActorSystem)system).ToDictionary();
            // Types whose actors have all stopped read 0, not their last values.
            foreach (var labels in AkkaMetrics.ActorsLive.GetAllLabelValues())
            {
                census.TryAdd(labels[0], (0, 0));
            }

            foreach (var (actorType, (live, queued)) in census)
            {
                AkkaMetrics.ActorsLive.WithLabels(actorType).Set(live);
                AkkaMetrics.MailboxDepth.WithLabels(actorType).Set(queued);
            }
        });
    }

    public static void Map(WebApplication app) => app.MapMetrics("/metrics");
}
