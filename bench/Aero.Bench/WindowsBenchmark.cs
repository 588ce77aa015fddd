using System.CommandLine;
using System.Diagnostics;
using Aero.Kafka;
using Aero.Kafka.Embedded;
using Aero.Kafka.Settings;
using Aero.Streams.Load;
using Aero.Streams.Transform;
using Aero.Streams.Windows;
using Aero.Warehouse;
using Aero.Warehouse.DuckDb;
using Akka.Actor;
using Akka.Configuration;
using Akka.Streams;
using Spectre.Console;

namespace Aero.Bench;

/// <summary>
/// Issue 17 §5, in one run over the same records of flights-3m.parquet in one topic, each phase a fresh consumer group
/// into a fresh DuckDB: (a) the load alone (raw rows, exactly once), (b) with the transform, (c) with the transform and
/// the default windows (the finalizer rounds running as the coordinator runs them: one after each commit, one at a
/// time), (d) as (c) with the peer's windows (1-hour tumbling, per origin), and (s) the peer: Streamiz (Kafka Streams
/// for .NET) counting those windows into an in-memory window store. CPU is this process's, per record; the latency is
/// from the commit whose watermark closed a window (end + allowed lateness) to the end of the round that made it final.
/// </summary>
internal static class WindowsBenchmark
{
    private const string Topic = "flights-raw";
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(20);

    public static Command CreateCommand()
    {
        var records = new Option<int>("--records") { Description = "Records of the input to load", DefaultValueFactory = _ => 1_000_000 };
        var partitions = new Option<int>("--partitions") { Description = "Partitions of the topic (the embedded Kafka keeps about 5 MiB of each)", DefaultValueFactory = _ => 32 };
        var input = new Option<string>("--input") { Description = "The flights (scripts/fetch-data)", DefaultValueFactory = _ => "data/full/flights-3m.parquet" };
        var config = new Option<string?>("--config") { Description = "HOCON over Aero's reference.conf for the warehouse, the load and the windows" };
        var phases = new Option<string>("--phases") { Description = "The phases to run, of abcds (the ratios need them all)", DefaultValueFactory = _ => "abcds" };
        var command = new Command("windows", "The load with the transform and windows against the load alone and against Streamiz counting windows, and close-to-final latency");
        foreach (var option in new Option[] { records, partitions, input, config, phases })
        {
            command.Options.Add(option);
        }

        command.SetAction(result => RunAsync(result.GetValue(records), result.GetValue(partitions), result.GetValue(input)!, ConfigurationFactory.ParseString(result.GetValue(config) ?? ""), result.GetValue(phases)!));
        return command;
    }

    private static async Task<int> RunAsync(int count, int partitions, string input, Akka.Configuration.Config config, string phases)
    {
        using var kafka = EmbeddedKafka.Start();
        kafka.CreateTopic(Topic, partitions);
        using var system = ActorSystem.Create("bench", ConfigurationFactory.ParseString("akka.loglevel = WARNING"));
        var materializer = system.Materializer();
        var directory = Directory.CreateTempSubdirectory("aero-bench-windows-").FullName;
        try
        {
            var flights = await InputFlights.ReadAsync(input, count, materializer);
            var defaults = WindowSettings.Create(config);
            var perOrigin = defaults with { Spec = WindowSpec.Hopping(TimeSpan.FromHours(1), TimeSpan.FromHours(1)), Dimensions = [WindowDimension.Origin] };
            var transform = FlightTransform.Create(TransformSettings.Create());
            var timeline = new CommitTimeline(flights, partitions, transform, defaults);
            // Record i to partition i mod n, in order, so each record's offset is known: i / n.
            InputFlights.Produce(kafka.BootstrapServers, Topic, flights, i => i % partitions);
            AnsiConsole.MarkupLineInterpolated($"{flights.Count:N0} records of {input} in {partitions} partitions, {Environment.ProcessorCount} cores; windows {defaults.Spec.SizeMilliseconds / 60_000} min every {defaults.Spec.SlideMilliseconds / 60_000} min over {defaults.Dimensions.Count} dimensions");

            var clusterId = KafkaCluster.GetClusterId(kafka.BootstrapServers, null, TimeSpan.FromSeconds(10));
            var run = new PhaseRunner(kafka, materializer, clusterId, LoadSettings.Create(config), DuckDbSettings.Create(config), directory, flights.Count, timeline);
            using var processed = ProcessedFlightsTopic.Create(ProducerSettings.Create().WithBootstrapServers(kafka.BootstrapServers), transform.Settings.Topic);
            var loads = new List<Phase>();
            if (phases.Contains('a', StringComparison.Ordinal))
            {
                loads.Add(await run.LoadAsync("(a) load alone: raw rows, exactly once", null, null, null));
            }

            if (phases.Contains('b', StringComparison.Ordinal))
            {
                loads.Add(await run.LoadAsync("(b) load with the transform", transform, processed, null));
            }

            if (phases.Contains('c', StringComparison.Ordinal))
            {
                loads.Add(await run.LoadAsync("(c) load with the transform and the default windows", transform, processed, new LoadWindows(defaults)));
            }

            if (phases.Contains('d', StringComparison.Ordinal))
            {
                loads.Add(await run.LoadAsync("(d) load with the transform and 1-hour tumbling windows per origin", transform, processed, new LoadWindows(perOrigin)));
            }

            (TimeSpan Elapsed, TimeSpan Cpu, long Counted)? peer = phases.Contains('s', StringComparison.Ordinal)
                ? await ConsoleProgress.TrackAsync("(s) Streamiz: 1-hour tumbling windows per origin", flights.Count, () => StreamizPeer.Counted, () => StreamizPeer.RunAsync(kafka.BootstrapServers, Topic, partitions, (name, n) => kafka.CreateTopic(name, n), flights.Count, Deadline))
                : null;

            var table = new Table().Border(TableBorder.Markdown).AddColumns("", "rows stored", "seconds", "records/s", "CPU per record", "windows final", "late records");
            foreach (var phase in loads)
            {
                table.AddRow(Markup.Escape(phase.Name), ResultsTable.Count(phase.Stored), $"{phase.Elapsed.TotalSeconds:N1}", ResultsTable.Count(flights.Count / phase.Elapsed.TotalSeconds), Micros(phase.Cpu, flights.Count), phase.Windows is null ? "" : ResultsTable.Count(phase.Windows.Finalized), phase.Windows is null ? "" : ResultsTable.Count(phase.Windows.LateRecords));
            }

            if (peer is { } s)
            {
                table.AddRow("(s) Streamiz counting the windows of (d), in memory", "none", $"{s.Elapsed.TotalSeconds:N1}", ResultsTable.Count(flights.Count / s.Elapsed.TotalSeconds), Micros(s.Cpu, flights.Count), "", "");
            }

            AnsiConsole.Write(table);
            if (loads.Count == 4 && peer is { } all)
            {
                var (a, b, c, d) = (loads[0], loads[1], loads[2], loads[3]);
                AnsiConsole.MarkupLineInterpolated($"CPU per record: (c)/(a) [bold]{c.Cpu / a.Cpu:F2}[/] (target under 1.25), (b)/(a) {b.Cpu / a.Cpu:F2}, (d)/(a) {d.Cpu / a.Cpu:F2}");
                AnsiConsole.MarkupLineInterpolated($"records/s: (d)/(s) [bold]{all.Elapsed / d.Elapsed:F2}[/] (target at least 1), (c)/(s) {all.Elapsed / c.Elapsed:F2}");
            }

            foreach (var phase in loads.Where(p => p.Windows is not null))
            {
                var (p50, p99, max, closed) = phase.Windows!.Latency();
                AnsiConsole.MarkupLineInterpolated($"{phase.Name[..3]} window close → final over {closed:N0} windows closed by the watermark: p50 [bold]{p50:N0} ms[/], p99 [bold]{p99:N0} ms[/] (target under 2,000), max {max:N0} ms");
            }

            var ok = loads.All(p => p.Stored == flights.Count) && (peer is null || peer.Value.Counted == flights.Count);
            AnsiConsole.MarkupLine(ok ? "[green]✓ each load stored every record once; the peer counted every record[/]" : "[red]✗ a load stored another number of records than the input's, or the peer counted another[/]");
            return ok ? 0 : 1;
        }
        finally
        {
            await system.Terminate();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Micros(TimeSpan cpu, int records) => $"{cpu.TotalMicroseconds / records:N1} µs";

    private sealed record Phase(string Name, TimeSpan Elapsed, TimeSpan Cpu, long Stored, WindowRounds? Windows);

    private sealed class PhaseRunner(
        EmbeddedKafka kafka, IMaterializer materializer, string clusterId, LoadSettings loadSettings, DuckDbSettings duckDbSettings, string directory, int count, CommitTimeline timeline)
    {
        private int _phase;

        public async Task<Phase> LoadAsync(string name, FlightTransform? transform, ProcessedFlightsTopic? processed, LoadWindows? windows)
        {
            var consumerSettings = ConsumerSettings.Create().WithBootstrapServers(kafka.BootstrapServers).WithProperties(EmbeddedKafka.ConsumerProperties);
            await using var warehouse = DuckDbWarehouse.Open(duckDbSettings.WithPath(Path.Combine(directory, $"phase-{++_phase}.duckdb")));
            using var logs = new KafkaPartitionLogs(consumerSettings, TimeSpan.FromSeconds(10));
            var rounds = windows is null ? null : new WindowRounds(new WindowFinalizer(warehouse, windows.Settings, Topic, maxOpenWindows: 5000), logs, timeline.For(windows.Settings));
            using var process = Process.GetCurrentProcess();
            long loaded = 0;
            var cpu = CpuClock.Start(process);
            var clock = Stopwatch.StartNew();
            rounds?.Start(clock);
            var control = WarehouseLoad.Create(
                consumerSettings.WithGroupId($"bench-windows-{_phase}"), CommitterSettings.Create(), loadSettings, Topic, clusterId, warehouse, transform, processed,
                batch =>
                {
                    Interlocked.Add(ref loaded, batch.Result.Inserted + batch.Result.AlreadyStored + batch.Result.DeadLettered);
                    rounds?.Committed(batch.NextOffsets);
                },
                windows).Run(materializer);
            await ConsoleProgress.TrackAsync(name, count, () => Interlocked.Read(ref loaded),
                () => LoadBenchmark.WaitForAsync(() => Interlocked.Read(ref loaded) >= count || control.StreamCompletion.IsCompleted, Deadline));
            var (elapsed, used) = (clock.Elapsed, cpu.Elapsed);
            await control.DrainAndShutdownAsync(TimeSpan.FromSeconds(30));
            if (rounds is not null)
            {
                await rounds.DisposeAsync();
            }

            var stored = await warehouse.CountAsync(WarehouseTables.FlightsRaw);
            AnsiConsole.MarkupLineInterpolated($"{name}: {stored:N0} rows, {elapsed.TotalSeconds:N1} s, {count / elapsed.TotalSeconds:N0} records/s, {used.TotalMicroseconds / count:N1} µs CPU per record");
            return new Phase(name, elapsed, used, stored, rounds);
        }
    }
}
