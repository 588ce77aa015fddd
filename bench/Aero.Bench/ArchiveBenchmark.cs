using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Aero.Kafka;
using Aero.Kafka.Embedded;
using Aero.Kafka.Settings;
using Aero.Streams.Archive;
using Aero.Streams.Load;
using Aero.Streams.Transform;
using Aero.Warehouse;
using Aero.Warehouse.DuckDb;
using Akka.Actor;
using Akka.Configuration;
using Akka.Streams;
using Spectre.Console;

namespace Aero.Bench;

/// <summary>
/// The raw archive against the load (issue 20 §3), over the same records in one run: (b) the load into DuckDB, then
/// (e) the archive into Parquet files on local disk, each in its own consumer group from the first offset; and the
/// archive's size on disk against the JSON values in Kafka. The archive must keep up: (e)/(b) at least 1.
/// </summary>
internal static class ArchiveBenchmark
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(10);

    public static Command CreateCommand()
    {
        var records = new Option<int>("--records") { Description = "Records to load and archive", DefaultValueFactory = _ => 1_000_000 };
        var partitions = new Option<int>("--partitions") { Description = "Partitions of the topic (the embedded Kafka keeps about 5 MiB of each)", DefaultValueFactory = _ => 32 };
        var command = new Command("archive", "The raw archive's throughput against the load's over the same records, and its size on disk against the JSON in Kafka");
        command.Options.Add(records);
        command.Options.Add(partitions);
        command.SetAction(result => RunAsync(result.GetValue(records), result.GetValue(partitions)));
        return command;
    }

    private static async Task<int> RunAsync(int records, int partitions)
    {
        using var kafka = EmbeddedKafka.Start();
        kafka.CreateTopic("flights-raw", partitions);
        var directory = Directory.CreateTempSubdirectory("aero-bench-archive-").FullName;
        using var system = ActorSystem.Create("bench", ConfigurationFactory.ParseString("akka.loglevel = WARNING"));
        var materializer = system.Materializer();
        var clusterId = KafkaCluster.GetClusterId(kafka.BootstrapServers, null, TimeSpan.FromSeconds(10));
        var consumerSettings = ConsumerSettings.Create().WithBootstrapServers(kafka.BootstrapServers).WithProperties(EmbeddedKafka.ConsumerProperties);
        var archiveSettings = ArchiveSettings.Create().WithDirectory(Path.Combine(directory, "archive"));
        AnsiConsole.MarkupLineInterpolated($"Archive against load over {records:N0} flight records, embedded Kafka, {partitions} partitions, {Environment.ProcessorCount} cores; Parquet {archiveSettings.Compression}, row groups of {archiveSettings.RowGroupRows:N0}");
        try
        {
            long delivered = 0;
            var jsonBytes = await ConsoleProgress.TrackAsync("producing", records, () => Interlocked.Read(ref delivered),
                () => Task.Run(() => LoadBenchmark.Produce(kafka.BootstrapServers, "flights-raw", partitions, records, rate: 0, n => Interlocked.Exchange(ref delivered, n))));
            // Both phases read every record from the first offset: a partition the embedded Kafka trimmed would leave
            // them waiting for records it no longer holds.
            var watermarks = FlightProducer.Watermarks(kafka.BootstrapServers, "flights-raw", partitions);
            if (watermarks.Values.Any(w => w.Low.Value > 0))
            {
                AnsiConsole.MarkupLineInterpolated($"[red]✗ the embedded Kafka trimmed {watermarks.Values.Sum(w => w.Low.Value):N0} of {records:N0} records (it keeps about 5 MiB a partition): run again with more --partitions.[/]");
                return 1;
            }


            await using var warehouse = DuckDbWarehouse.Open(DuckDbSettings.Create().WithPath(Path.Combine(directory, "load.duckdb")));
            var transform = FlightTransform.Create(TransformSettings.Create());
            using var processed = ProcessedFlightsTopic.Create(ProducerSettings.Create().WithBootstrapServers(kafka.BootstrapServers), transform.Settings.Topic);
            long loaded = 0;
            var clock = Stopwatch.StartNew();
            var load = WarehouseLoad.Create(consumerSettings.WithGroupId("bench-load"), CommitterSettings.Create(), LoadSettings.Create(), "flights-raw", clusterId, warehouse, transform, processed,
                batch => Interlocked.Add(ref loaded, batch.Result.Inserted + batch.Result.AlreadyStored + batch.Result.DeadLettered)).Run(materializer);
            await ConsoleProgress.TrackAsync("(b) Aero load into DuckDB", records, () => Interlocked.Read(ref loaded),
                () => LoadBenchmark.WaitForAsync(() => Interlocked.Read(ref loaded) >= records || load.StreamCompletion.IsCompleted, Deadline));
            var b = clock.Elapsed;
            await load.DrainAndShutdownAsync(TimeSpan.FromSeconds(30));

            // Files publish at max-file-bytes or max-file-age; the reach counts records appended, which is the pace.
            var target = new LocalArchiveTarget(archiveSettings.Directory);
            var reach = new ArchiveReach();
            long archived = 0;
            clock.Restart();
            var archive = RawArchive.Create(consumerSettings, CommitterSettings.Create().WithCommitFailure(CommitFailure.Warn), archiveSettings with { MaxFileAge = TimeSpan.FromSeconds(2) }, "flights-raw", target,
                _ => Task.FromResult<IReadOnlyDictionary<int, long>>(new Dictionary<int, long>()), file => Interlocked.Add(ref archived, file.Records), reach).Run(materializer);
            await ConsoleProgress.TrackAsync("(e) Aero archive into Parquet", records, () => Interlocked.Read(ref archived),
                () => LoadBenchmark.WaitForAsync(() => Interlocked.Read(ref archived) >= records || archive.StreamCompletion.IsCompleted, Deadline));
            var e = clock.Elapsed;
            await archive.DrainAndShutdownAsync(TimeSpan.FromSeconds(30));
            var files = await target.ListAsync(CancellationToken.None);
            var onDisk = files.Sum(file => new FileInfo(target.PathOf(file)).Length);

            var bRate = records / b.TotalSeconds;
            var eRate = records / e.TotalSeconds;
            var table = new Table().Border(TableBorder.Markdown).AddColumns("", "records", "seconds", "records/s")
                .AddRow("(b) Aero load into DuckDB, exactly once", ResultsTable.Count(records), Seconds(b), ResultsTable.Count(bRate))
                .AddRow($"(e) Aero archive into Parquet ({archiveSettings.Compression}), published files", ResultsTable.Count(archived), Seconds(e), ResultsTable.Count(eRate));
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLineInterpolated($"e/b: [bold]{eRate / bRate:F2}[/] (target at least 1.00)");
            AnsiConsole.MarkupLineInterpolated($"size: {files.Count:N0} files, [bold]{onDisk / 1024.0 / 1024:N1} MiB[/] on disk against {jsonBytes / 1024.0 / 1024:N1} MiB of JSON values in Kafka: [bold]{(double)onDisk / jsonBytes:F2}[/]×");
            var ok = archived == records && eRate >= bRate;
            AnsiConsole.MarkupLine(ok ? "[green]✓ every record archived, at least as fast as the load[/]" : $"[red]✗ archived {archived:N0} of {records:N0} at {eRate / bRate:F2}× the load[/]");
            return ok ? 0 : 1;
        }
        finally
        {
            await system.Terminate();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture);
}
