using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Aero.Flights;
using Aero.Kafka.Embedded;
using Aero.Kafka.Settings;
using Aero.Streams.Extract;
using Aero.Warehouse.BigQuery;
using Akka.Actor;
using Akka.Configuration;
using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Spectre.Console;

namespace Aero.Bench;

/// <summary>
/// Extract throughput: a file through Aero's whole extract path (read, map, validate, serialize, produce) against
/// a plain Confluent.Kafka producer sending the same records, serialized up front, from memory. After a warm-up of
/// both, in rounds of (b) then (a), compared by their medians. (b) runs first in a round so that its peak working set
/// is measured before the baseline holds every record in memory.
/// </summary>
internal static class ExtractBenchmark
{
    // The same Kafka records as (b)'s valid ones: key, value and the schema-version header, which Confluent.Kafka
    // marshals for librdkafka on every produce and the broker stores with every record.
    private static readonly Headers RawHeaders = FlightExtract.CreateRawHeaders();

    public static Command CreateCommand()
    {
        var input = new Option<string>("--input") { Description = "The file to extract (scripts/fetch-data fetches flights-3m.parquet)", DefaultValueFactory = _ => "data/full/flights-3m.parquet" };
        var partitions = new Option<int>("--partitions") { Description = "Partitions of the target topic", DefaultValueFactory = _ => 8 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds of (b) then (a); the ratio is of their medians", DefaultValueFactory = _ => 3 };
        var warmup = new Option<int>("--warmup") { Description = "Records sent through each path, into (b)'s topic, before anything is measured: neither then pays the JIT compiler", DefaultValueFactory = _ => 200_000 };
        var command = new Command("extract", "Extract throughput and peak memory of Aero's extract path against a plain producer");
        command.Options.Add(input);
        command.Options.Add(partitions);
        command.Options.Add(rounds);
        command.Options.Add(warmup);
        command.SetAction(result => RunAsync(result.GetValue(input)!, result.GetValue(partitions), result.GetValue(rounds), result.GetValue(warmup)));
        return command;
    }

    private static async Task<int> RunAsync(string input, int partitions, int rounds, int warmup)
    {
        if (!File.Exists(input))
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{input} does not exist; scripts/fetch-data fetches it.[/]");
            return 2;
        }

        if (rounds < 1)
        {
            AnsiConsole.MarkupLine("[red]--rounds must be at least 1[/]");
            return 2;
        }

        using var kafka = EmbeddedKafka.Start();
        var settings = ExtractSettings.Create().WithRawTopic("flights-raw").WithDeadLetterTopic("flights-dlq");
        kafka.CreateTopic(settings.RawTopic, partitions);
        kafka.CreateTopic(settings.DeadLetterTopic, 1);
        kafka.CreateTopic("baseline", partitions);
        var producerSettings = ProducerSettings.Create().WithBootstrapServers(kafka.BootstrapServers);
        AnsiConsole.MarkupLineInterpolated($"Extract of [bold]{input}[/] ({new FileInfo(input).Length / 1024.0 / 1024.0:F1} MiB) to the embedded Kafka, {partitions} partitions, {Environment.ProcessorCount} cores");

        using var system = ActorSystem.Create("bench", ConfigurationFactory.ParseString("akka.loglevel = WARNING"));
        var materializer = system.Materializer();

        var validator = new FlightValidator(settings.Validation);
        // (a) runs with the extract's own producer configuration, and holds at most as many records unacknowledged as
        // the extract's stage does: librdkafka's default queue takes ten times as many, and was slower for (a).
        var extractProducer = FlightExtract.EffectiveProducerSettings(producerSettings);
        var config = new ProducerConfig(extractProducer.Properties.ToDictionary(p => p.Key, p => p.Value))
        {
            BootstrapServers = kafka.BootstrapServers,
            QueueBufferingMaxMessages = extractProducer.Parallelism,
        };
        AnsiConsole.MarkupLineInterpolated($"producer (both): {string.Join(", ", config.Where(p => p.Key is not ("bootstrap.servers" or "queue.buffering.max.messages")).Select(p => $"{p.Key}={p.Value}"))}; every valid record with the {FlightRecord.SchemaVersionHeader} header");
        AnsiConsole.MarkupLineInterpolated($"in flight: (a) queue.buffering.max.messages={config.QueueBufferingMaxMessages}, (b) parallelism={extractProducer.Parallelism}");

        // Warm-up: (b) runs first and would otherwise pay the JIT compiler for both, Confluent.Kafka's produce path
        // included. Both into (b)'s topic: the embedded Kafka keeps only the newest 5 MiB of a partition, which (b)
        // alone fills, so the warm-up adds nothing to the memory (b) is measured with.
        if (warmup > 0)
        {
            var warmupChunks = (warmup + FlightFileSource.ChunkSize - 1) / FlightFileSource.ChunkSize;
            await FlightFileSource.CreateChunks(input, FileSourceSettings.Default).Take(warmupChunks)
                .RunWith(FlightExtract.ChunksToKafka(settings, producerSettings, new ExtractTally()), materializer);
            if (ProducePlainly(config, settings.RawTopic, await SerializedValidRecords(input, validator, materializer, warmup)) > 0)
            {
                AnsiConsole.MarkupLine("[red]the warm-up of the plain producer failed to deliver[/]");
                return 1;
            }

            AnsiConsole.MarkupLineInterpolated($"warm-up: {warmup:N0} records through each path");
        }

        using var process = Process.GetCurrentProcess();
        var results = new List<Round>();
        var ok = true;
        for (var round = 1; round <= rounds; round++)
        {
            // (b)'s peak from here, in the first round only: later ones start with memory (a) took. No collection is
            // forced first: after one, the collector grew its budgets and the peak rose from 387-396 to 462-523 MiB.
            var peakReset = round == 1 && ResetPeakWorkingSet();

            // (b) Aero: every step of a real extract.
            var tally = new ExtractTally();
            var gcBefore = (Gen0: GC.CollectionCount(0), Gen1: GC.CollectionCount(1), Gen2: GC.CollectionCount(2), Pause: GC.GetTotalPauseDuration(), Allocated: GC.GetTotalAllocatedBytes());
            var cpu = CpuClock.Start(process);
            var aero = Stopwatch.StartNew();
            var expected = await FlightFileSource.CountRecordsAsync(input) ?? 0;
            await ConsoleProgress.TrackAsync($"round {round}: (b) Aero extract", expected, () => tally.Read, () =>
                FlightFileSource.CreateChunks(input, FileSourceSettings.Default).RunWith(FlightExtract.ChunksToKafka(settings, producerSettings, tally), materializer));
            aero.Stop();
            var aeroCpu = cpu.Elapsed;
            var gc = $"{GC.CollectionCount(0) - gcBefore.Gen0} / {GC.CollectionCount(1) - gcBefore.Gen1} / {GC.CollectionCount(2) - gcBefore.Gen2}, {(GC.GetTotalPauseDuration() - gcBefore.Pause).TotalSeconds:F1} s, {(GC.GetTotalAllocatedBytes() - gcBefore.Allocated) / (double)Math.Max(1, tally.Read):N0} B";
            process.Refresh();
            var aeroPeak = process.PeakWorkingSet64;

            var (baselineRate, baselineCpu, sent, failed) = await MeasureBaselineAsync(input, validator, materializer, config, process);
            results.Add(new Round(
                baselineRate,
                tally.Read / aero.Elapsed.TotalSeconds,
                baselineCpu,
                aeroCpu.TotalMicroseconds / Math.Max(1, tally.Read),
                peakReset ? aeroPeak : null,
                gc));
            AnsiConsole.MarkupLineInterpolated($"round {round}: (b) {tally}");
            if (!tally.Balances || failed > 0 || tally.Produced != sent)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]round {round}: the counts do not balance: {failed} not delivered by (a), {tally.Produced} produced by (b) against {sent} by (a)[/]");
                ok = false;
            }
        }

        var table = new Table().Border(TableBorder.Markdown)
            .AddColumn("round")
            .AddColumn(new TableColumn("(a) plain producer rec/s").RightAligned())
            .AddColumn(new TableColumn("(b) Aero extract rec/s").RightAligned())
            .AddColumn(new TableColumn("b/a").RightAligned())
            .AddColumn(new TableColumn("(b) peak working set").RightAligned())
            .AddColumn(new TableColumn("CPU per record (a) / (b)").RightAligned())
            .AddColumn("(b) GC: gen0 / gen1 / gen2, paused, allocated per record");
        for (var i = 0; i < results.Count; i++)
        {
            var r = results[i];
            table.AddRow((i + 1).ToString(CultureInfo.InvariantCulture), ResultsTable.Count(r.BaselineRate), ResultsTable.Count(r.AeroRate), ResultsTable.Ratio(r.AeroRate / r.BaselineRate),
                r.AeroPeak is { } roundPeak ? $"{roundPeak / 1024 / 1024:N0} MiB" : "", $"{r.BaselineCpu:F1} / {r.AeroCpu:F1} µs", r.AeroGc);
        }

        var medianA = ResultsTable.Median(results.Select(r => r.BaselineRate));
        var medianB = ResultsTable.Median(results.Select(r => r.AeroRate));
        table.AddRow("median", ResultsTable.Count(medianA), ResultsTable.Count(medianB), ResultsTable.Ratio(medianB / medianA), "", "", "");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"b/a of the medians: [bold]{medianB / medianA:F2}[/] (target 0.50); peak working set during (b) in round 1: [bold]{(results[0].AeroPeak is { } peak ? $"{peak / 1024 / 1024:N0} MiB" : "not measured (/proc/self/clear_refs is not writable)")}[/] (target under 500)");
        AnsiConsole.MarkupLineInterpolated($"GC: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}. CPU per record includes librdkafka and the embedded broker, in both.");
        AnsiConsole.MarkupLine(ok ? "[green]✓ every round: read = produced + dead-lettered, and both sent the same valid records[/]" : "[red]✗ the counts do not balance (see above)[/]");
        await system.Terminate();
        return ok ? 0 : 1;
    }

    // Linux: writing 5 to clear_refs resets the peak resident set size (VmHWM), which PeakWorkingSet64 reads.
    private static bool ResetPeakWorkingSet()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>(a): the same valid records, serialized before the clock starts; garbage again when this returns.</summary>
    private static async Task<(double RecordsPerSecond, double CpuPerRecord, int Sent, long Failed)> MeasureBaselineAsync(
        string input, FlightValidator validator, IMaterializer materializer, ProducerConfig config, Process process)
    {
        var records = await SerializedValidRecords(input, validator, materializer, int.MaxValue);
        var cpu = CpuClock.Start(process);
        var clock = Stopwatch.StartNew();
        var failed = ProducePlainly(config, "baseline", records);
        clock.Stop();
        var result = (records.Count / clock.Elapsed.TotalSeconds, cpu.Elapsed.TotalMicroseconds / Math.Max(1, records.Count), records.Count, failed);
        // The list's array stayed reachable after this returned (gcroot: through a strong GC handle), and with it every
        // record: 1.3 GiB in the next round's peak. Emptied, the array holds nothing.
        records.Clear();
        records.TrimExcess();
        return result;
    }

    // Into a list rather than Sink.Seq's immutable list, which costs a tree node per record.
    private static async Task<List<(byte[] Key, byte[] Value)>> SerializedValidRecords(string input, FlightValidator validator, IMaterializer materializer, int limit)
    {
        var records = new List<(byte[] Key, byte[] Value)>();
        await FlightFileSource.Create(input, FileSourceSettings.Default)
            .Take(limit)
            .Where(record => record.Flight is not null && validator.Validate(record.Flight) is null)
            .RunForeach(record => records.Add((Encoding.UTF8.GetBytes(record.Flight!.FlightId), JsonSerializer.SerializeToUtf8Bytes(record.Flight, FlightJsonContext.Default.FlightRecord))), materializer);
        return records;
    }

    /// <summary>The baseline: a plain Confluent.Kafka producer loop. Returns how many records were not delivered.</summary>
    private static long ProducePlainly(ProducerConfig config, string topic, IEnumerable<(byte[] Key, byte[] Value)> records)
    {
        long failed = 0;
        Action<DeliveryReport<byte[], byte[]>> onDelivered = report =>
        {
            if (report.Error.IsError)
            {
                Interlocked.Increment(ref failed);
            }
        };
        using var producer = new ProducerBuilder<byte[], byte[]>(config).Build();
        foreach (var (key, value) in records)
        {
            while (true)
            {
                try
                {
                    producer.Produce(topic, new Message<byte[], byte[]> { Key = key, Value = value, Headers = RawHeaders }, onDelivered);
                    break;
                }
                catch (ProduceException<byte[], byte[]> full) when (full.Error.Code == ErrorCode.Local_QueueFull)
                {
                    // librdkafka's queue is full: wait for deliveries, as any producer loop must.
                    producer.Poll(TimeSpan.FromMilliseconds(10));
                }
            }
        }

        producer.Flush(TimeSpan.FromMinutes(2));
        return Interlocked.Read(ref failed);
    }

    private readonly record struct Round(double BaselineRate, double AeroRate, double BaselineCpu, double AeroCpu, long? AeroPeak, string AeroGc);
}
