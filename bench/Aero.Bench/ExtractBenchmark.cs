using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Aero.Streams.Extract;
using Aero.Streams.Flights;
using Aero.Streams.Kafka;
using Aero.Streams.Kafka.Embedded;
using Akka.Actor;
using Akka.Configuration;
using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Spectre.Console;

namespace Aero.Bench;

/// <summary>
/// Extract throughput: a file through Aero's whole extract path (read, map, validate, serialize, produce) against
/// a plain Confluent.Kafka producer sending the same records, serialized up front, from memory. Aero runs first so
/// its peak working set is measured before the baseline holds every record in memory.
/// </summary>
internal static class ExtractBenchmark
{
    public static Command CreateCommand()
    {
        var input = new Option<string>("--input") { Description = "The file to extract (scripts/fetch-data fetches flights-3m.parquet)", DefaultValueFactory = _ => "data/full/flights-3m.parquet" };
        var partitions = new Option<int>("--partitions") { Description = "Partitions of the target topic", DefaultValueFactory = _ => 8 };
        var command = new Command("extract", "Extract throughput and peak memory of Aero's extract path against a plain producer");
        command.Options.Add(input);
        command.Options.Add(partitions);
        command.SetAction(result => RunAsync(result.GetValue(input)!, result.GetValue(partitions)));
        return command;
    }

    private static async Task<int> RunAsync(string input, int partitions)
    {
        if (!File.Exists(input))
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{input} does not exist; scripts/fetch-data fetches it.[/]");
            return 2;
        }

        using var kafka = EmbeddedKafka.Start();
        var settings = ExtractSettings.Create().WithRawTopic("flights-raw").WithDeadLetterTopic("flights-dlq");
        kafka.CreateTopic(settings.RawTopic, partitions);
        kafka.CreateTopic(settings.DeadLetterTopic, 1);
        kafka.CreateTopic("baseline", partitions);
        var producerSettings = ProducerSettings.Create().WithBootstrapServers(kafka.BootstrapServers);
        AnsiConsole.MarkupLineInterpolated($"Extract of [bold]{input}[/] ({new FileInfo(input).Length / 1024.0 / 1024.0:F1} MiB) to the embedded Kafka, {partitions} partitions, {Environment.ProcessorCount} cores");
        AnsiConsole.MarkupLineInterpolated($"producer (both): {string.Join(", ", producerSettings.Properties.Select(p => $"{p.Key}={p.Value}"))}");

        using var system = ActorSystem.Create("bench", ConfigurationFactory.ParseString("akka.loglevel = WARNING"));
        var materializer = system.Materializer();

        // (b) Aero: every step of a real extract.
        var tally = new ExtractTally();
        var gcBefore = (Gen0: GC.CollectionCount(0), Gen1: GC.CollectionCount(1), Gen2: GC.CollectionCount(2), Pause: GC.GetTotalPauseDuration());
        using var process = Process.GetCurrentProcess();
        var cpu = CpuClock.Start(process);
        var aero = Stopwatch.StartNew();
        var expected = await FlightFileSource.CountRecordsAsync(input) ?? 0;
        await ConsoleProgress.TrackAsync("(b) Aero extract", expected, () => tally.Read, () =>
            FlightFileSource.CreateChunks(input, FileSourceSettings.Default).RunWith(FlightExtract.ChunksToKafka(settings, producerSettings, tally), materializer));
        aero.Stop();
        var aeroCpu = cpu.Elapsed;
        var gc = $"{GC.CollectionCount(0) - gcBefore.Gen0} gen0, {GC.CollectionCount(1) - gcBefore.Gen1} gen1, {GC.CollectionCount(2) - gcBefore.Gen2} gen2 collections, {(GC.GetTotalPauseDuration() - gcBefore.Pause).TotalSeconds:F1} s paused";
        var aeroPeak = process.PeakWorkingSet64;

        // (a) baseline: the same valid records, serialized before the clock starts.
        var validator = new FlightValidator(settings.Validation);
        var records = await FlightFileSource.Create(input, FileSourceSettings.Default)
            .Where(record => record.Flight is not null && validator.Validate(record.Flight) is null)
            .Select(record => (Key: Encoding.UTF8.GetBytes(record.Flight!.FlightId), Value: JsonSerializer.SerializeToUtf8Bytes(record.Flight, FlightJsonContext.Default.FlightRecord)))
            .RunWith(Sink.Seq<(byte[] Key, byte[] Value)>(), materializer);
        cpu = CpuClock.Start(process);
        var baseline = Stopwatch.StartNew();
        var config = new ProducerConfig(producerSettings.Properties.ToDictionary(p => p.Key, p => p.Value)) { BootstrapServers = kafka.BootstrapServers };
        long failed = 0;
        using (var producer = new ProducerBuilder<byte[], byte[]>(config).Build())
        {
            foreach (var (key, value) in records)
            {
                while (true)
                {
                    try
                    {
                        producer.Produce("baseline", new Message<byte[], byte[]> { Key = key, Value = value }, report =>
                        {
                            if (report.Error.IsError)
                            {
                                Interlocked.Increment(ref failed);
                            }
                        });
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
        }

        baseline.Stop();
        var baselineCpu = cpu.Elapsed;

        var aeroRate = tally.Read / aero.Elapsed.TotalSeconds;
        var baselineRate = records.Count / baseline.Elapsed.TotalSeconds;
        var table = new Table().Border(TableBorder.Markdown)
            .AddColumns("", "records", "seconds", "records/s")
            .AddRow("(a) plain producer, pre-serialized", Count(records.Count), Seconds(baseline.Elapsed), Count(baselineRate))
            .AddRow("(b) Aero extract: read, map, validate, serialize, produce", Count(tally.Read), Seconds(aero.Elapsed), Count(aeroRate));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"b/a: [bold]{aeroRate / baselineRate:F2}[/] (target 0.50); peak working set during (b): [bold]{aeroPeak / 1024 / 1024:N0} MiB[/] (target under 500)");
        AnsiConsole.MarkupLineInterpolated($"(b) {tally}");
        // CPU per record: steadier than the rates when other processes share the cores. Both include librdkafka and the embedded broker.
        AnsiConsole.MarkupLineInterpolated($"CPU per record: (a) {baselineCpu.TotalMicroseconds / Math.Max(1, records.Count):F1} µs, (b) {aeroCpu.TotalMicroseconds / Math.Max(1, tally.Read):F1} µs");
        AnsiConsole.MarkupLineInterpolated($"(b) GC ({(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}): {gc}");

        var ok = tally.Balances && failed == 0 && tally.Produced == records.Count;
        AnsiConsole.MarkupLine(ok ? "[green]✓ read = produced + dead-lettered, and both sent the same valid records[/]" : "[red]✗ the counts do not balance (see above)[/]");
        await system.Terminate();
        return ok ? 0 : 1;
    }

    private static string Count(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture);
}
