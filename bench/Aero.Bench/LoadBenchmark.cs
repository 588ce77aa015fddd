using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Aero.Flights;
using Aero.Kafka;
using Aero.Kafka.Embedded;
using Aero.Kafka.Settings;
using Aero.Streams.Load;
using Aero.Streams.Transform;
using Aero.Warehouse;
using Aero.Warehouse.BigQuery;
using Aero.Warehouse.DuckDb;
using Akka.Actor;
using Akka.Configuration;
using Akka.Streams;
using Confluent.Kafka;
using Spectre.Console;

namespace Aero.Bench;

/// <summary>
/// Kafka → DuckDB, exactly once: (b) the load graph over N records against (a) a plain Confluent.Kafka consume loop
/// over the same records, in one run; then the latency from produce to committed row at a steady rate.
/// </summary>
internal static class LoadBenchmark
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(10);

    public static Command CreateCommand()
    {
        var records = new Option<int>("--records") { Description = "Records to load", DefaultValueFactory = _ => 1_000_000 };
        var partitions = new Option<int>("--partitions") { Description = "Partitions of the topic", DefaultValueFactory = _ => 8 };
        var rate = new Option<int>("--rate") { Description = "Records per second in the latency phase", DefaultValueFactory = _ => 20_000 };
        var seconds = new Option<int>("--seconds") { Description = "Length of the latency phase", DefaultValueFactory = _ => 20 };
        var transactionRows = new Option<int>("--alone-transaction-rows") { Description = "Rows per transaction of (d), DuckDB alone committing as often as (b)", DefaultValueFactory = _ => 34_000 };
        var aloneThreads = new Option<int>("--alone-threads") { Description = "DuckDB threads of (d)", DefaultValueFactory = _ => 1 };
        // librdkafka's mock broker answers a fetch with at most one message set per partition, found by walking the
        // partition's sets from the oldest: each small set a steady producer writes costs a fetch that walks them all.
        // With 24 partitions that walk saturated the broker's thread within 15 s at 20,000 rec/s; a real broker has an
        // offset index and returns many sets per fetch.
        var latencyPartitions = new Option<int>("--latency-partitions") { Description = "Partitions of the latency phase's topic", DefaultValueFactory = _ => 8 };
        var config = new Option<string?>("--config") { Description = "HOCON over Aero's reference.conf for (b)'s warehouse and load, e.g. \"aero.warehouse.duckdb.threads = 2\"" };
        var command = new Command("load", "Exactly-once load into DuckDB against a plain consume loop, and produce-to-row latency at a steady rate");
        foreach (var option in new Option[] { records, partitions, rate, seconds, latencyPartitions, transactionRows, aloneThreads, config })
        {
            command.Options.Add(option);
        }

        command.SetAction(result => RunAsync(result.GetValue(records), result.GetValue(partitions), result.GetValue(rate), result.GetValue(seconds), result.GetValue(latencyPartitions), result.GetValue(transactionRows), result.GetValue(aloneThreads), ConfigurationFactory.ParseString(result.GetValue(config) ?? "")));
        return command;
    }

    private static async Task<int> RunAsync(int records, int partitions, int rate, int seconds, int latencyPartitions, int transactionRows, int aloneThreads, Akka.Configuration.Config config)
    {
        using var kafka = EmbeddedKafka.Start();
        kafka.CreateTopic("flights-raw", partitions);
        kafka.CreateTopic("latency", latencyPartitions);
        var directory = Directory.CreateTempSubdirectory("aero-bench-load-").FullName;
        using var system = ActorSystem.Create("bench", ConfigurationFactory.ParseString("akka.loglevel = WARNING"));
        var materializer = system.Materializer();
        var clusterId = KafkaCluster.GetClusterId(kafka.BootstrapServers, null, TimeSpan.FromSeconds(10));
        var consumerSettings = ConsumerSettings.Create().WithBootstrapServers(kafka.BootstrapServers)
            .WithProperties(EmbeddedKafka.ConsumerProperties);
        var loadSettings = LoadSettings.Create(config);
        var duckDbSettings = DuckDbSettings.Create(config);
        AnsiConsole.MarkupLineInterpolated($"Load of {records:N0} flight records into DuckDB, embedded Kafka, {partitions} partitions, {Environment.ProcessorCount} cores, DuckDB on {duckDbSettings.Threads} thread(s), checkpoint every {duckDbSettings.CheckpointThresholdBytes / 1024 / 1024:N0} MiB of log; batches of {loadSettings.BatchSize:N0} / {loadSettings.BatchInterval.TotalMilliseconds} ms per partition");
        try
        {
            long delivered = 0;
            var bytes = await ConsoleProgress.TrackAsync("producing", records, () => Interlocked.Read(ref delivered),
                () => Task.Run(() => Produce(kafka.BootstrapServers, "flights-raw", partitions, records, rate: 0, n => Interlocked.Exchange(ref delivered, n))));

            // (a) the yardstick, then (b) Aero: decode, batch, one DuckDB transaction per batch with the offsets, commit.
            using var process = Process.GetCurrentProcess();
            var baseline = new BaselineConsumer(kafka.BootstrapServers, "flights-raw", EmbeddedKafka.ConsumerProperties);
            var cpu = CpuClock.Start(process);
            var a = await ConsoleProgress.TrackAsync("(a) plain consume loop", records, () => baseline.Consumed, () => Task.Run(() => baseline.Run(records, Deadline)));
            var aCpu = cpu.Elapsed;

            await using var warehouse = DuckDbWarehouse.Open(duckDbSettings.WithPath(Path.Combine(directory, "load.duckdb")));
            var transform = FlightTransform.Create(TransformSettings.Create());
            using var processed = ProcessedFlightsTopic.Create(ProducerSettings.Create().WithBootstrapServers(kafka.BootstrapServers), transform.Settings.Topic);
            long loaded = 0;
            cpu = CpuClock.Start(process);
            var clock = Stopwatch.StartNew();
            var control = WarehouseLoad.Create(consumerSettings.WithGroupId("bench-load"), CommitterSettings.Create(), loadSettings, "flights-raw", clusterId, warehouse, transform, processed,
                batch => Interlocked.Add(ref loaded, batch.Result.Inserted + batch.Result.AlreadyStored + batch.Result.DeadLettered)).Run(materializer);
            await ConsoleProgress.TrackAsync("(b) Aero load into DuckDB", records, () => Interlocked.Read(ref loaded),
                () => WaitForAsync(() => Interlocked.Read(ref loaded) >= records || control.StreamCompletion.IsCompleted, Deadline));
            var b = clock.Elapsed;
            var bCpu = cpu.Elapsed;
            await control.DrainAndShutdownAsync(TimeSpan.FromSeconds(30));
            var stored = await warehouse.CountAsync(WarehouseTables.FlightsRaw);

            // (c) the ceiling: DuckDB inserting the same records by itself; (d) the same, committing as often as (b) does.
            using var alone = new DuckDbAlone(directory, records, Enumerable.Range(0, records).Select(i => Record("flights-raw", i)));
            var (c, cCpu) = await ConsoleProgress.TrackAsync("(c) DuckDB alone: the same records, parsed, one INSERT", 1, () => 0,
                () => Task.Run(() => alone.Insert(records)));
            var (d, dCpu) = await ConsoleProgress.TrackAsync($"(d) DuckDB alone, in transactions of {transactionRows:N0} rows, {aloneThreads} thread(s)", 1, () => 0,
                () => Task.Run(() => alone.Insert(transactionRows, aloneThreads)));

            // Latency: rows carry the producer's timestamp; a row counts once its transaction has committed.
            var latency = new LatencyWarehouse(warehouse);
            var latencyControl = WarehouseLoad.Create(consumerSettings.WithGroupId("bench-latency"), CommitterSettings.Create(), loadSettings, "latency", clusterId, latency, transform, processed).Run(materializer);
            Produce(kafka.BootstrapServers, "latency", latencyPartitions, latencyPartitions, rate: 0, _ => { });
            await WaitForAsync(() => latency.Count >= latencyPartitions, TimeSpan.FromSeconds(60));
            latency.Reset();
            var steady = rate * seconds;
            long sent = 0;
            await ConsoleProgress.TrackAsync($"latency at {rate:N0} records/s", steady, () => Interlocked.Read(ref sent),
                () => Task.Run(() => Produce(kafka.BootstrapServers, "latency", latencyPartitions, steady, rate, n => Interlocked.Exchange(ref sent, n))));
            await WaitForAsync(() => latency.Count >= steady || latencyControl.StreamCompletion.IsCompleted, TimeSpan.FromSeconds(60));
            await latencyControl.DrainAndShutdownAsync(TimeSpan.FromSeconds(30));

            var aRate = records / (a.Elapsed - a.FirstRecord).TotalSeconds;
            var aRateTotal = records / a.Elapsed.TotalSeconds;
            var bRate = records / b.TotalSeconds;
            var table = new Table().Border(TableBorder.Markdown).AddColumns("", "records", "seconds", "records/s", "CPU per record")
                .AddRow("(a) plain Confluent.Kafka consume loop", ResultsTable.Count(records), Seconds(a.Elapsed), ResultsTable.Count(aRateTotal), Micros(aCpu, records))
                .AddRow("(b) Aero load into DuckDB, exactly once", ResultsTable.Count(records), Seconds(b), ResultsTable.Count(bRate), Micros(bCpu, records))
                .AddRow("(c) DuckDB alone: parsed rows, one INSERT, 1 thread", ResultsTable.Count(records), Seconds(c), ResultsTable.Count(records / c.TotalSeconds), Micros(cCpu, records))
                .AddRow($"(d) as (c), in transactions of {transactionRows:N0} rows with an offset, {aloneThreads} thread(s)", ResultsTable.Count(records), Seconds(d), ResultsTable.Count(records / d.TotalSeconds), Micros(dCpu, records));
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLineInterpolated($"b/a: [bold]{bRate / aRateTotal:F2}[/] (target 0.80); from (a)'s first record: {bRate / aRate:F2}; {bytes / 1024 / 1024:N0} MiB of values");
            // DuckDB's pace by itself: no load into this table stores faster, (d) for one that commits as often.
            AnsiConsole.MarkupLineInterpolated($"DuckDB alone: (c)/(a) {records / c.TotalSeconds / aRateTotal:F2} in one statement, (d)/(a) [bold]{records / d.TotalSeconds / aRateTotal:F2}[/] in transactions of {transactionRows:N0} rows");
            var (p50, p99, max) = latency.Percentiles();
            AnsiConsole.MarkupLineInterpolated($"produce → committed row at {rate:N0} records/s for {seconds} s over {latencyPartitions} partitions ({latency.Count:N0} rows): p50 [bold]{p50:N0} ms[/], p99 [bold]{p99:N0} ms[/] (target under 1,000), max {max:N0} ms");

            var ok = stored == records && latency.Count == steady;
            AnsiConsole.MarkupLine(ok ? "[green]✓ every record stored once, every latency record seen[/]" : $"[red]✗ stored {stored:N0} of {records:N0}; latency rows {latency.Count:N0} of {steady:N0}[/]");
            return ok ? 0 : 1;
        }
        finally
        {
            await system.Terminate();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Canonical flight records with unique event ids; at a fixed rate when <paramref name="rate"/> is positive.</summary>
    internal static long Produce(string bootstrap, string topic, int partitions, int records, int rate, Action<long> sent)
    {
        var config = new ProducerConfig { BootstrapServers = bootstrap, LingerMs = 5, CompressionType = CompressionType.Lz4 };
        using var producer = new ProducerBuilder<byte[], byte[]>(config).Build();
        var clock = Stopwatch.StartNew();
        long bytes = 0;
        for (var i = 0; i < records; i++)
        {
            if (rate > 0)
            {
                while (i > rate * clock.Elapsed.TotalSeconds)
                {
                    Thread.Sleep(1);
                }
            }

            var flight = Record(topic, i);
            var value = JsonSerializer.SerializeToUtf8Bytes(flight, FlightJsonContext.Default.FlightRecord);
            bytes += value.Length;
            while (true)
            {
                try
                {
                    producer.Produce(new TopicPartition(topic, i % partitions), new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(flight.FlightId), Value = value });
                    break;
                }
                catch (ProduceException<byte[], byte[]> full) when (full.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(10));
                }
            }

            sent(i + 1);
        }

        producer.Flush(TimeSpan.FromMinutes(1));
        return bytes;
    }

    internal static FlightRecord Record(string source, int i) =>
        VegaFlightMapping.ToRecord(new VegaFlight(FlightProducer.Date(i), i % 90 - 20, 150 + i % 2600, "LAX", "SFO"), source, i);

    internal static async Task<bool> WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"not done within {timeout}");
            }

            await Task.Delay(50);
        }

        return true;
    }


    private static string Micros(TimeSpan cpu, int records) => $"{cpu.TotalMilliseconds * 1000 / records:F1} µs";

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture);
}
