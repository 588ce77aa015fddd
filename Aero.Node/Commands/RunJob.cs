using System.Diagnostics;
using Aero.Actors.Hosting;
using Aero.Kafka;
using Aero.Kafka.Embedded;
using Aero.Kafka.Settings;
using Aero.Node.Configuration;
using Aero.Node.Hosting;
using Aero.Streams.Extract;
using Aero.Streams.Load;
using Aero.Warehouse;
using Aero.Warehouse.BigQuery;
using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Spectre.Console;

namespace Aero.Node.Commands;

/// <summary>
/// The main job: extract the flights file into <c>flights-raw</c>, and load <c>flights-raw</c> into the warehouse
/// exactly once, on the embedded Kafka unless a bootstrap is given.
/// </summary>
public static class RunJob
{
    public static async Task<int> ExecuteAsync(RunOptions options, CancellationToken cancellation)
    {
        var started = Stopwatch.StartNew();
        var config = AeroConfiguration.Load(options.Config);
        var extractSettings = ExtractSettings.Create(config);
        var topic = extractSettings.RawTopic;
        var bootstrap = options.Bootstrap ?? config.GetString("aero.kafka.bootstrap-servers", "");
        // Every setting is read (and so checked) before anything starts, so a bad one fails the run at once.
        var kafka = KafkaClients.Create(config);
        var committerSettings = CommitterSettings.Create(config);
        var loadSettings = LoadSettings.Create(config);
        var runSettings = RunSettings.Create(config);
        using var embedded = string.IsNullOrWhiteSpace(bootstrap) ? StartEmbedded(config, extractSettings) : null;
        bootstrap = embedded?.BootstrapServers ?? bootstrap;

        kafka = kafka.WithBootstrapServers(bootstrap, embedded is not null);
        var (consumerSettings, producerSettings) = (kafka.Consumer, kafka.Producer);
        var clusterId = KafkaCluster.GetClusterId(bootstrap, consumerSettings.Properties, TimeSpan.FromSeconds(15));
        var partitions = PartitionCount(kafka, topic);
        AnsiConsole.MarkupLineInterpolated($"Kafka [bold]{bootstrap}[/] (cluster [bold]{clusterId}[/]), topic [bold]{topic}[/] with {partitions} partitions");

        if (options.WarehousePath is not null)
        {
            config = AeroConfiguration.With(AeroConfiguration.With(config, "aero.warehouse.duckdb.path", options.WarehousePath), "aero.warehouse.kind", "duckdb");
        }

        await using var warehouse = await Warehouses.OpenAsync(config, cancellation);
        AnsiConsole.MarkupLineInterpolated($"Warehouse: [bold]{warehouse.Description}[/]");
        var progress = new LoadProgress(await warehouse.StoredOffsetsAsync(clusterId, topic, cancellation));

        var load = WarehouseLoad.Create(consumerSettings, committerSettings, loadSettings, topic, clusterId, warehouse, progress.OnLoaded);
        await using var node = AeroNode.Create(config, [new HostedGraph("load", "ingest", materializer => load.Run(materializer))], [NodeSingletons.Coordinator]);
        await node.StartAsync(cancellation);
        AnsiConsole.MarkupLineInterpolated($"Node [bold]{((Akka.Actor.ExtendedActorSystem)node.System).Provider.DefaultAddress}[/]");
        // On a line of its own: tests and operators read the port from it when aero.admin.port = 0.
        AnsiConsole.MarkupLineInterpolated($"Admin endpoint [bold]{node.AdminUri}[/]");
        // Not the cancellation token: Ctrl+C must not look like a pipeline that stopped by itself.
        var nodeStopped = Task.WhenAny(node.GraphsStopped, Task.Delay(Timeout.Infinite, node.Stopping));

        long produced = 0;
        long deadLettered = 0;
        try
        {
            if (!options.NoExtract)
            {
                var input = AeroConfiguration.ResolveInput(options.Input ?? config.GetString("aero.extract.input"));
                var tally = await ExtractAsync(input, extractSettings, producerSettings, config, node.System.Materializer(), cancellation);
                (produced, deadLettered) = (tally.Produced, tally.DeadLettered);
            }

            if (options.Once)
            {
                var watch = new OnceWatch(LogEnd(kafka, topic, partitions), runSettings.OnceStallTimeout, TimeProvider.System);
                if (await AwaitLogEndAsync(watch, warehouse, clusterId, topic, progress, runSettings, nodeStopped, cancellation) is { } stall)
                {
                    AnsiConsole.MarkupLineInterpolated($"[red]{stall}[/]");
                    await node.StopAsync();
                    return 1;
                }
            }
            else
            {
                AnsiConsole.MarkupLine("Running; Ctrl+C or SIGTERM drains the pipeline and exits.");
                await Task.WhenAny(nodeStopped, Task.Delay(Timeout.Infinite, cancellation));
                cancellation.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            AnsiConsole.MarkupLine("Stopping: draining in-flight records.");
        }

        if (nodeStopped.IsCompleted)
        {
            var failure = node.GraphsStopped.IsCompleted
                ? node.GaveUp is { } gaveUp
                    ? $"[red]Graph {Markup.Escape(gaveUp.Graph)} failed {gaveUp.Failures} times with the same cause within {gaveUp.Window}, so the node stopped: {Markup.Escape(gaveUp.Cause.Message)}[/]"
                    : "[red]The load pipeline stopped with an error (see the log above).[/]"
                : "[red]The node stopped by itself (downed or its ActorSystem ended; see the log above).[/]";
            await node.StopAsync();
            // An operator's `aero cluster leave` drains like SIGTERM does: a clean stop, not a failure.
            if (!node.LeftCluster || !await node.Drained)
            {
                AnsiConsole.MarkupLine(failure);
                return 1;
            }

            AnsiConsole.MarkupLine("The node left the cluster as asked, after draining its graphs.");
        }
        else
        {
            // CoordinatedShutdown: drain the graphs (stop consuming, finish in-flight records, commit), leave, terminate.
            await node.StopAsync();
            if (!await node.Drained)
            {
                AnsiConsole.MarkupLine("[red]The load pipeline did not drain cleanly (see the log above).[/]");
                return 1;
            }

            // A stop during a back-off is clean (nothing was in flight), but the failure it interrupted must not go unsaid.
            foreach (var graph in node.DrainedStatus?.Graphs.Where(g => g.LastFailure is not null) ?? [])
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]Graph {graph.Name} had failed (restarted {graph.Restarts} times); its latest failure: {graph.LastFailure}[/]");
            }
        }

        var summary = new RunSummary(produced, deadLettered, progress.Stored, progress.AlreadyStored, progress.DeadLettered, await warehouse.CountAsync(WarehouseTables.FlightsRaw, CancellationToken.None), started.Elapsed);
        Print(summary);
        return 0;
    }

    /// <summary>
    /// --once: waits until the warehouse's offsets, whichever node of the group stored them, reach the log end,
    /// printing how far it is; returns why it gave up when they stopped moving, or null.
    /// </summary>
    private static async Task<string?> AwaitLogEndAsync(
        OnceWatch watch, IWarehouse warehouse, string clusterId, string topic, LoadProgress progress, RunSettings settings, Task nodeStopped, CancellationToken cancellation)
    {
        AnsiConsole.MarkupLineInterpolated($"Loading until the warehouse's offsets reach the log end: {watch.Target:N0} offsets");
        var reported = Stopwatch.StartNew();
        while (!nodeStopped.IsCompleted)
        {
            IReadOnlyDictionary<int, long> stored;
            try
            {
                stored = progress.Merge(await warehouse.StoredOffsetsAsync(clusterId, topic, cancellation));
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // A warehouse that cannot answer makes no progress either; the stall timeout bounds the wait.
                AnsiConsole.MarkupLineInterpolated($"[yellow]Reading the warehouse's offsets failed: {error.Message}[/]");
                stored = progress.Merge(new Dictionary<int, long>());
            }

            switch (watch.Observe(stored))
            {
                case OnceOutcome.Done:
                    return null;
                case OnceOutcome.Stalled:
                    return watch.StallMessage(stored);
            }

            if (reported.Elapsed >= settings.OnceProgressInterval)
            {
                AnsiConsole.MarkupLineInterpolated($"Loading: {watch.Progress(stored)}; this node stored {progress.Stored:N0} rows, {progress.AlreadyStored:N0} already present");
                reported.Restart();
            }

            await Task.WhenAny(nodeStopped, Task.Delay(settings.OncePollInterval, cancellation));
            cancellation.ThrowIfCancellationRequested();
        }

        return null;
    }

    private static EmbeddedKafka StartEmbedded(Akka.Configuration.Config config, ExtractSettings topics)
    {
        var partitions = config.GetInt("aero.embedded-kafka.partitions");
        var kafka = EmbeddedKafka.Start(config.GetInt("aero.embedded-kafka.brokers"));
        kafka.CreateTopic(topics.RawTopic, partitions);
        kafka.CreateTopic(topics.DeadLetterTopic, 1);
        KafkaServeCommand.WarnInMemory(partitions);
        return kafka;
    }

    /// <summary>The extract of <c>aero produce</c>; an extract that does not balance, or that Kafka refused, fails the run.</summary>
    private static async Task<ExtractTally> ExtractAsync(string input, ExtractSettings settings, ProducerSettings producerSettings, Akka.Configuration.Config config, IMaterializer materializer, CancellationToken cancellation)
    {
        var source = await ExtractInput.OpenAsync(input, config, cancellation);
        var outcome = await ExtractRun.RunAsync(source, settings, producerSettings, rate: 0, materializer, cancellation);
        cancellation.ThrowIfCancellationRequested();
        if (outcome.Problem is { } problem)
        {
            ExtractRun.ReportTooManyRejected(outcome);
            throw new InvalidOperationException($"The extract of {source.Description} failed: {problem}", outcome.Failure);
        }

        AnsiConsole.MarkupLineInterpolated($"Extracted {source.Description}: [bold]{outcome.Tally.Produced:N0}[/] records to {settings.RawTopic}, {outcome.Tally.DeadLettered:N0} dead-lettered to {settings.DeadLetterTopic}, {outcome.Tally.Skipped:N0} input entries skipped");
        return outcome.Tally;
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

    private static Dictionary<int, long> LogEnd(KafkaClients kafka, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(kafka.LogEndConsumerConfig()).Build();
        return Enumerable.Range(0, partitions).ToDictionary(
            p => p,
            p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(15)).High.Value);
    }

    private static void Print(RunSummary summary)
    {
        var table = new Table().AddColumns("Records produced", "Dead-lettered at extract", "Rows stored", "Already stored", "Dead-lettered at load", "Rows in flights_raw", "Seconds");
        table.AddRow(
            $"{summary.Produced:N0}", $"{summary.ExtractDeadLettered:N0}", $"{summary.Stored:N0}", $"{summary.AlreadyStored:N0}", $"{summary.DeadLettered:N0}",
            $"{summary.RowsInWarehouse:N0}", $"{summary.Elapsed.TotalSeconds:F1}");
        AnsiConsole.Write(table);
        Console.WriteLine(summary.ToString());
    }
}
