using Aero.Actors.Hosting;
using Aero.Actors.Jobs;
using Aero.Node.Configuration;
using Aero.Node.Hosting;
using Aero.Streams.Extract;
using Aero.Kafka;
using Aero.Kafka.Dsl;
using Aero.Kafka.Settings;
using Aero.Kafka.Embedded;
using Aero.Warehouse;
using Aero.Streams.Load;
using Aero.Streams.Transform;
using Aero.Streams.Archive;
using Aero.Streams.Windows;
using Aero.Actors.Windows;
using Aero.Streams.Schema;
using Config = Akka.Configuration.Config;
using Confluent.Kafka;
using Akka.Streams;

namespace Aero.Node.Commands;

/// <summary>
/// The load graph (<c>flights-raw</c> into the warehouse) hosted on an <see cref="AeroNode"/>, on the embedded Kafka
/// unless a bootstrap is given: what <c>aero run</c> and <c>aero serve</c> share, from start to a drained stop. With
/// <c>archive</c>, the node also hosts the raw archive (<see cref="RawArchive"/>) beside the load.
/// </summary>
public sealed class LoadNode : IAsyncDisposable
{
    private readonly EmbeddedKafka? _embedded;
    private readonly ProcessedFlightsTopic _processed;
    private readonly FramedValueReader? _framed;
    private Task<bool>? _stop;

    private LoadNode(EmbeddedKafka? embedded, ProcessedFlightsTopic processed, FramedValueReader? framed, KafkaClients kafka, string topic, int partitions, string clusterId, IWarehouse warehouse, LoadProgress progress, AeroNode node, ArchiveReach? archived, JobsRuntime? jobs)
    {
        _processed = processed;
        _framed = framed;
        Jobs = jobs;
        (_embedded, Kafka, Topic, Partitions, ClusterId, Warehouse, Progress, Node, Archived) = (embedded, kafka, topic, partitions, clusterId, warehouse, progress, node, archived);
        // Not the command's cancellation: Ctrl+C must not look like a pipeline that stopped by itself.
        StoppedByItself = Task.WhenAny(node.GraphsStopped, Task.Delay(Timeout.Infinite, node.Stopping));
    }

    public KafkaClients Kafka { get; }

    public string Topic { get; }

    public int Partitions { get; }

    public string ClusterId { get; }

    public IWarehouse Warehouse { get; }

    /// <summary>The jobs on this node's warehouse; null for a warehouse that cannot keep their runs (BigQuery).</summary>
    public JobsRuntime? Jobs { get; }

    /// <summary>What this node's load stored, counted as its batches land.</summary>
    public LoadProgress Progress { get; }

    public AeroNode Node { get; }

    /// <summary>How far this node's archive has read, when it keeps one.</summary>
    public ArchiveReach? Archived { get; }

    /// <summary>Completes when the node stopped without being asked: its graphs gave up, or it was downed or left.</summary>
    public Task StoppedByItself { get; }

    /// <summary>
    /// Reads every setting (so a bad one fails before anything starts), starts the embedded Kafka when no bootstrap is
    /// configured, opens the warehouse and starts the node. The log must already be set up (<see cref="NodeLogging"/>).
    /// </summary>
    public static async Task<LoadNode> StartAsync(Config config, string? bootstrap, bool archive, JobOutput output, CancellationToken cancellation)
    {
        var extractSettings = ExtractSettings.Create(config);
        var topic = extractSettings.RawTopic;
        bootstrap ??= config.GetString("aero.kafka.bootstrap-servers");
        var kafka = KafkaClients.Create(config);
        var committerSettings = CommitterSettings.Create(config);
        var loadSettings = LoadSettings.Create(config);
        var embeddedSettings = EmbeddedKafkaSettings.Create(config);
        // Reads the airports too, so a missing file fails the start before anything runs.
        var transform = FlightTransform.Create(TransformSettings.Create(config));
        var archiveSettings = ArchiveSettings.Create(config);
        var gcsArchive = archive ? GcsArchiveSettings.Create(config) : null;
        var windowSettings = WindowSettings.Create(config);
        var registry = SchemaRegistrySettings.Create(config);
        AeroNode.CheckSettings(config);
        var embedded = string.IsNullOrWhiteSpace(bootstrap) ? StartEmbedded(embeddedSettings, extractSettings, transform.Settings, output) : null;
        IWarehouse? warehouse = null;
        ProcessedFlightsTopic? processed = null;
        FramedValueReader? framed = null;
        AeroNode? node = null;
        try
        {
            bootstrap = embedded?.BootstrapServers ?? bootstrap!;
            kafka = kafka.WithBootstrapServers(bootstrap, embedded is not null);
            framed = registry.Url is null ? null : FramedValueReader.Create(registry);
            processed = ProcessedFlightsTopic.Create(
                kafka.Producer, transform.Settings.Topic, await FramedValueWriter.ForTopicAsync(registry, transform.Settings.Topic, RecordSchemas.ProcessedFlight, cancellation));
            var clusterId = KafkaCluster.GetClusterId(bootstrap, kafka.Consumer.Properties, TimeSpan.FromSeconds(15));
            var partitions = PartitionCount(kafka, topic);
            warehouse = await Warehouses.OpenAsync(config, cancellation);
            output.Info($"Kafka [bold]{bootstrap}[/] (cluster [bold]{clusterId}[/]), topic [bold]{topic}[/] with {partitions} partitions; warehouse [bold]{warehouse.Description}[/]");
            var progress = new LoadProgress(await warehouse.StoredOffsetsAsync(clusterId, topic, cancellation));
            // After each commit the coordinator hears of it, so windows close promptly (issue 17 §3).
            AeroNode? started = null;
            var load = WarehouseLoad.Create(
                kafka.Consumer, committerSettings, loadSettings, topic, clusterId, warehouse, transform, processed,
                loaded =>
                {
                    progress.OnLoaded(loaded);
                    started?.System.ActorSelection(NodeSingletons.Coordinator.ProxyPath).Tell(WindowProgress.Instance);
                },
                new LoadWindows(windowSettings),
                framed);
            var archiveReach = archive ? new ArchiveReach() : null;
            List<HostedGraph> graphs = [new HostedGraph("load", "ingest", materializer => load.Run(materializer))];
            if (gcsArchive is not null)
            {
                var target = await ArchiveTargets.OpenAsync(archiveSettings, gcsArchive, cancellation);
                var stored = warehouse;
                var archiveGraph = RawArchive.Create(
                    kafka.Consumer, committerSettings.WithCommitFailure(loadSettings.KafkaCommitFailure), archiveSettings, topic, target,
                    storedWithin => stored.StoredOffsetsAsync(clusterId, topic, storedWithin),
                    reach: archiveReach,
                    framed: framed);
                graphs.Add(new HostedGraph("archive", "ingest", materializer => archiveGraph.Run(materializer)));
                output.Info($"Archive [bold]{target.Description}[/] (consumer group [bold]{archiveSettings.GroupId}[/])");
            }

            // Read against the warehouse's engines before the node starts: a bad job definition stops the start, naming it.
            // A flow extracts into the load's topic as aero produce does, and watches this warehouse's offsets for it.
            var flowWarehouse = warehouse;
            var flowLoad = new FlowLoad(
                extractSettings,
                FileSourceSettings.Create(config),
                kafka.Producer,
                await FramedValueWriter.ForTopicAsync(registry, topic, RecordSchemas.FlightRecord, cancellation),
                _ => Task.Run<IReadOnlyDictionary<int, long>>(() => LogEndOf(kafka, topic, partitions)),
                storedWithin => flowWarehouse.StoredOffsetsAsync(clusterId, topic, storedWithin),
                () => (node ?? throw new InvalidOperationException("A flow ran before its node was created.")).System.Materializer());
            var jobs = JobsRuntime.Create(config, warehouse, flowLoad);

            // The coordinator's window finalizer asks Kafka for log ends: it finds the brokers (embedded or named on the
            // command line) where the load does.
            var nodeConfig = AeroConfiguration.With(config, "aero.kafka.bootstrap-servers", bootstrap);
            node = AeroNode.Create(nodeConfig, graphs, warehouse, jobs);
            await node.StartAsync(cancellation);
            started = node;
            output.Info($"Node [bold]{((Akka.Actor.ExtendedActorSystem)node.System).Provider.DefaultAddress}[/]");
            // On a line of its own: tests and operators read the port from it when aero.admin.port = 0.
            output.Info($"Admin endpoint [bold]{node.AdminUri}[/]");
            output.Info($"Dashboard [bold]{new Uri(node.AdminUri, Dashboard.DashboardEndpoint.PagePath)}[/]");
            return new LoadNode(embedded, processed, framed, kafka, topic, partitions, clusterId, warehouse, progress, node, archiveReach, jobs);
        }
        catch
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }

            if (warehouse is not null)
            {
                await warehouse.DisposeAsync();
            }

            processed?.Dispose();
            framed?.Dispose();
            embedded?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Stops the node (CoordinatedShutdown: drain the graphs, leave the cluster) and says how it ended: true for a clean
    /// stop, false (having said why) for a node whose graphs gave up, that was downed, or that did not drain. Only the
    /// first call stops; later ones return its outcome.
    /// </summary>
    public Task<bool> StopAsync(JobOutput output) => _stop ??= StopOnceAsync(output);

    private async Task<bool> StopOnceAsync(JobOutput output)
    {
        var byItself = StoppedByItself.IsCompleted;
        var failure = !byItself ? null
            : Node.GraphsStopped.IsCompleted
                ? Node.GaveUp is { } gaveUp
                    ? $"Graph {gaveUp.Graph} failed {gaveUp.Failures} times with the same cause within {gaveUp.Window}, so the node stopped: {gaveUp.Cause.Message}"
                    : "The load pipeline stopped with an error (see the log)."
                : "The node stopped by itself (downed or its ActorSystem ended; see the log).";
        await Node.StopAsync();
        var drained = await Node.Drained;
        if (byItself)
        {
            // An operator's `aero cluster leave` drains like SIGTERM does: a clean stop, not a failure.
            if (!Node.LeftCluster || !drained)
            {
                output.Error($"{failure}");
                return false;
            }

            output.Info($"The node left the cluster as asked, after draining its graphs.");
            return true;
        }

        if (!drained)
        {
            output.Error($"The load pipeline did not drain cleanly (see the log).");
            return false;
        }

        // A stop during a back-off is clean (nothing was in flight), but the failure it interrupted must not go unsaid.
        foreach (var graph in Node.DrainedStatus?.Graphs.Where(g => g.LastFailure is not null) ?? [])
        {
            output.Warn($"Graph {graph.Name} had failed (restarted {graph.Restarts} times); its latest failure: {graph.LastFailure}");
        }

        return true;
    }

    /// <summary>The next offset of each partition: where the warehouse's offsets must reach for <c>--once</c>.</summary>
    public Dictionary<int, long> LogEnd() => LogEndOf(Kafka, Topic, Partitions);

    private static Dictionary<int, long> LogEndOf(KafkaClients kafka, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(kafka.LogEndConsumerConfig()).Build();
        return Enumerable.Range(0, partitions).ToDictionary(
            p => p,
            p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(15)).High.Value);
    }

    public async ValueTask DisposeAsync()
    {
        await Node.DisposeAsync();
        await Warehouse.DisposeAsync();
        _processed.Dispose();
        _framed?.Dispose();
        _embedded?.Dispose();
    }

    private static EmbeddedKafka StartEmbedded(EmbeddedKafkaSettings settings, ExtractSettings topics, TransformSettings transform, JobOutput output)
    {
        var kafka = EmbeddedKafka.Start(settings.Brokers);
        kafka.CreateTopic(topics.RawTopic, settings.Partitions);
        kafka.CreateTopic(topics.DeadLetterTopic, 1);
        kafka.CreateTopic(transform.Topic, settings.Partitions);
        KafkaServeCommand.WarnInMemory(settings.Partitions, output);
        return kafka;
    }

    private static int PartitionCount(KafkaClients kafka, string topic)
    {
        var bootstrap = kafka.Consumer.BootstrapServers;
        using var admin = new AdminClientBuilder(kafka.AdminConfig()).Build();
        var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(15));
        var partitions = metadata.Topics.SingleOrDefault(t => t.Topic == topic)?.Partitions.Count ?? 0;
        return partitions > 0
            ? partitions
            : throw new InvalidOperationException($"Topic {topic} does not exist on {bootstrap}; create it (for example with kcat or kafka-topics) and run again.");
    }
}
