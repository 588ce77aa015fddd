using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using Aero.Kafka.Embedded;
using Akka.Actor;
using Akka.Configuration;
using Akka.Streams;
using Confluent.Kafka;
using Spectre.Console;

namespace Aero.Bench;

/// <summary>
/// Consumer throughput of Aero's Kafka stages against a plain Confluent.Kafka loop, on the embedded Kafka:
/// produce once, then alternate (a) and (b) for a few rounds and compare medians. Exit code 1 when a check fails.
/// </summary>
internal static class Program
{
    private static readonly TimeSpan RunDeadline = TimeSpan.FromMinutes(3);

    public static Task<int> Main(string[] args)
    {
        if (Console.IsOutputRedirected)
        {
            // Spectre wraps at 80 columns when it cannot ask the terminal; every command's Markdown table must stay on
            // one line per row.
            AnsiConsole.Profile.Width = 200;
        }

        var command = BenchOptions.CreateCommand(RunAndReportAsync);
        command.Subcommands.Add(ExtractBenchmark.CreateCommand());
        command.Subcommands.Add(LoadBenchmark.CreateCommand());
        command.Subcommands.Add(ArchiveBenchmark.CreateCommand());
        command.Subcommands.Add(CheckpointBenchmark.CreateCommand());
        command.Subcommands.Add(ScaleBenchmark.CreateCommand());
        command.Subcommands.Add(PeerBenchmark.CreateCommand());
        command.Subcommands.Add(DashboardBenchmark.CreateCommand());
        command.Subcommands.Add(WindowsBenchmark.CreateCommand());
        command.Subcommands.Add(Chaos.ChaosCommand.CreateCommand());
        return command.Parse(args).InvokeAsync();
    }

    private static async Task<int> RunAndReportAsync(BenchOptions options)
    {
        PrintSetup(options);
        try
        {
            var ok = await RunAsync(options);
            AnsiConsole.MarkupLine(ok ? "[green]✓ all checks passed[/]" : "[red]✗ some checks FAILED (see above)[/]");
            return ok ? 0 : 1;
        }
        catch (Exception failure) when (failure is KafkaException or InvalidOperationException or TimeoutException)
        {
            AnsiConsole.MarkupLine($"[red]✗ FAILED: {Markup.Escape(failure.Message)}[/]");
            AnsiConsole.WriteException(failure, ExceptionFormats.ShortenEverything);
            return 1;
        }
    }

    /// <summary>Produces, warms up, runs the rounds and prints the results; false when a correctness check failed.</summary>
    private static async Task<bool> RunAsync(BenchOptions options)
    {
        using var kafka = EmbeddedKafka.Start(brokers: 1);
        var data = await ProduceAsync(kafka, options);
        if (data is null)
        {
            return false;
        }

        // Streams log at WARNING only: the consumer's INFO lines (assignments) would break up the progress output.
        // akka.* keys given with --config (e.g. akka.stream.materializer settings) apply to the actor system too.
        var akkaConfig = ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING");
        using var system = ActorSystem.Create("aero-bench", options.AeroConfig is null ? akkaConfig : options.AeroConfig.WithFallback(akkaConfig));
        var materializer = system.Materializer();
        var baseline = new BaselineConsumer(kafka.BootstrapServers, data.Topic, options.KafkaProperties);
        var aero = new AeroConsumer(kafka.BootstrapServers, data.Topic, materializer, options.AeroConfig, options.KafkaProperties);
        var ok = true;
        try
        {
            if (options.WarmupRecords > 0)
            {
                // Small runs of both first, so round 1 is not mostly JIT; their figures are shown, not ranked.
                await RunBaselineAsync(baseline, options.WarmupRecords, "warm-up (a) Confluent");
                await RunAeroAsync(aero, options.WarmupRecords, "warm-up (b) Aero");
            }

            var resultsA = new List<RunResult>();
            var resultsB = new List<RunResult>();
            for (var round = 1; round <= options.Rounds; round++)
            {
                var a = await RunBaselineAsync(baseline, data.Records, $"round {round} (a) Confluent");
                ok &= Check($"round {round} (a) read {data.Records:N0} records, {data.ValueBytes:N0} value bytes", a.Bytes == data.ValueBytes);
                resultsA.Add(a);

                var b = await RunAeroAsync(aero, data.Records, $"round {round} (b) Aero");
                ok &= CheckAero(aero, data, round);
                resultsB.Add(b);
            }

            PrintResults(options, data, resultsA, resultsB);
        }
        finally
        {
            await system.Terminate();
        }

        return ok;
    }

    private static void PrintSetup(BenchOptions options)
    {
        AnsiConsole.Write(new Rule("Aero.Bench: Kafka consumer throughput").LeftJustified());
        AnsiConsole.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores, "
            + $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC, librdkafka {Confluent.Kafka.Library.VersionString}"));
        AnsiConsole.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{options.Records:N0} records over {options.Partitions} partitions, {options.Rounds} rounds, warm-up {options.WarmupRecords:N0} records"));
        PrintSettings(options);
    }

    private static void PrintSettings(BenchOptions options)
    {
        AnsiConsole.WriteLine($"librdkafka properties of both (a) and (b): {string.Join(", ", options.KafkaProperties.Select(p => $"{p.Key}={p.Value}"))}");

        if (options.AeroConfigText is not null)
        {
            AnsiConsole.WriteLine($"(b) config over reference.conf: {options.AeroConfigText}");
        }
    }

    /// <summary>Creates and fills the topic; null (after saying why) when the mock cluster did not keep every record.</summary>
    private static async Task<TopicData?> ProduceAsync(EmbeddedKafka kafka, BenchOptions options)
    {
        const string topic = "flights-bench";
        kafka.CreateTopic(topic, options.Partitions);
        long delivered = 0;
        var clock = Stopwatch.StartNew();
        var bytes = await ConsoleProgress.TrackAsync(
            "producing",
            options.Records,
            () => Volatile.Read(ref delivered),
            () => Task.Run(() => FlightProducer.Produce(kafka.BootstrapServers, topic, options.Records, options.Partitions, n => Volatile.Write(ref delivered, n))));
        var took = clock.Elapsed;

        var watermarks = FlightProducer.Watermarks(kafka.BootstrapServers, topic, options.Partitions);
        var retained = watermarks.Values.Sum(w => w.High.Value - w.Low.Value);
        AnsiConsole.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"produced {options.Records:N0} records ({bytes / (1024.0 * 1024):F1} MiB of JSON, {bytes / (double)options.Records:F0} bytes each) in {took.TotalSeconds:F1} s"));
        var kept = Check(
            $"the mock cluster kept all {options.Records:N0} records (sum of high - low watermarks: {retained:N0})",
            retained == options.Records && watermarks.Values.All(w => w.Low.Value == 0));
        if (!kept)
        {
            AnsiConsole.MarkupLine("[red]The mock cluster trims each partition to about 5 MiB: run again with more --partitions.[/]");
            return null;
        }

        return new TopicData(topic, options.Partitions, options.Records, bytes, watermarks.ToDictionary(w => w.Key, w => w.Value.High.Value));
    }

    private static async Task<RunResult> RunBaselineAsync(BaselineConsumer baseline, long records, string description)
    {
        Settle();
        var result = await ConsoleProgress.TrackAsync(
            description,
            records,
            () => baseline.Consumed,
            () => Task.Factory.StartNew(() => baseline.Run(records, RunDeadline), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
        PrintRun(description, result);
        return result;
    }

    private static async Task<RunResult> RunAeroAsync(AeroConsumer aero, long records, string description)
    {
        Settle();
        var result = await ConsoleProgress.TrackAsync(description, records, () => aero.Consumed, () => aero.RunAsync(records, RunDeadline));
        PrintRun(description, result);
        return result;
    }

    private static void PrintRun(string description, RunResult result) =>
        AnsiConsole.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{description}: {result.Records:N0} records in {result.Elapsed.TotalSeconds:F2} s = {result.RecordsPerSecond:N0} rec/s, {result.MegabytesPerSecond:F1} MiB/s; "
            + $"first record after {result.FirstRecord.TotalMilliseconds:F0} ms, then {result.SteadyRecordsPerSecond:N0} rec/s"));

    /// <summary>Each run starts with a clean heap, so it does not pay for the garbage of the one before.</summary>
    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>(b) must have seen every record exactly once and committed the log end of every partition.</summary>
    private static bool CheckAero(AeroConsumer aero, TopicData data, int round)
    {
        var exact = Check(
            $"round {round} (b) read {data.Records:N0} records, {data.ValueBytes:N0} value bytes, after the drain too",
            aero.Consumed == data.Records && aero.Bytes == data.ValueBytes);
        var committed = aero.CommittedOffsets(data.Partitions);
        var wrong = data.LogEnd.Where(p => !committed.TryGetValue(p.Key, out var offset) || offset != p.Value).ToList();
        var commits = Check(
            wrong.Count == 0
                ? $"round {round} (b) group {aero.GroupId} committed the log end of all {data.Partitions} partitions"
                : $"round {round} (b) group {aero.GroupId} committed wrong offsets on {wrong.Count} partitions, e.g. "
                    + string.Join(", ", wrong.Take(5).Select(p => $"[{p.Key}] {(committed.TryGetValue(p.Key, out var c) ? c : -1)} instead of {p.Value}")),
            wrong.Count == 0);
        return exact && commits;
    }

    private static bool Check(string what, bool passed)
    {
        AnsiConsole.MarkupLine(passed ? $"[green]✓[/] {Markup.Escape(what)}" : $"[red]✗ FAILED: {Markup.Escape(what)}[/]");
        return passed;
    }

    private static void PrintResults(BenchOptions options, TopicData data, List<RunResult> resultsA, List<RunResult> resultsB)
    {
        AnsiConsole.WriteLine();
        AnsiConsole.Write(new Rule("Results").LeftJustified());
        AnsiConsole.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{data.Records:N0} records ({data.ValueBytes / (1024.0 * 1024):F1} MiB) over {data.Partitions} partitions, embedded Kafka (1 broker), {Environment.ProcessorCount} cores."));
        AnsiConsole.WriteLine("rec/s: from subscribe (a) or materialization (b) to the N-th record; join: time to the first record (the mock cluster's group join).");
        AnsiConsole.Write(ResultsTable.Render(resultsA, resultsB));
        var ratio = ResultsTable.Median(resultsB.Select(r => r.RecordsPerSecond)) / ResultsTable.Median(resultsA.Select(r => r.RecordsPerSecond));
        var steadyRatio = ResultsTable.Median(resultsB.Select(r => r.SteadyRecordsPerSecond)) / ResultsTable.Median(resultsA.Select(r => r.SteadyRecordsPerSecond));
        AnsiConsole.WriteLine();
        var mibA = ResultsTable.Median(resultsA.Select(r => r.MegabytesPerSecond));
        var mibB = ResultsTable.Median(resultsB.Select(r => r.MegabytesPerSecond));
        AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median MiB/s (JSON values): (a) {mibA:F1}, (b) {mibB:F1}"));
        AnsiConsole.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"b/a of the medians: {ratio:F2} (target 0.90); after the join (first record to N-th): {steadyRatio:F2}"));
        // The join is the mock cluster's group initial rebalance delay (3 s in librdkafka's mock), the same for (a) and (b).
        AnsiConsole.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):F0} MiB (the embedded Kafka's in-memory log included)"));
        PrintSettings(options);
    }
}
