using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Aero.Kafka;
using Aero.Kafka.Embedded;
using Aero.Kafka.Settings;
using Aero.Streams.Load;
using Aero.Streams.Transform;
using Aero.Warehouse;
using Aero.Warehouse.DuckDb;
using Aero.Warehouse.Postgres;
using Akka.Actor;
using Akka.Configuration;
using Akka.Streams;
using Spectre.Console;

namespace Aero.Bench;

/// <summary>
/// Aero's load against what a user would run instead (issue 16 §2), in one run on the same records of flights-3m.parquet
/// in one topic: (b) Aero → PostgreSQL and (c) Aero → DuckDB, exactly once; (p) the seed-style Python peer
/// (bench/peer/seed_peer.py) into PostgreSQL; (d) DuckDB alone inserting the same parsed rows in transactions of the
/// size (c) forms.
/// </summary>
internal static class PeerBenchmark
{
    private const string Schema = "aero_bench_peer";
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(20);

    public static Command CreateCommand()
    {
        var records = new Option<int>("--records") { Description = "Records of the input to load", DefaultValueFactory = _ => 1_000_000 };
        var partitions = new Option<int>("--partitions") { Description = "Partitions of the topic (the embedded Kafka keeps about 5 MiB of each)", DefaultValueFactory = _ => 32 };
        var input = new Option<string>("--input") { Description = "The flights (scripts/fetch-data)", DefaultValueFactory = _ => "data/full/flights-3m.parquet" };
        var peer = new Option<string>("--peer") { Description = "The peer's script", DefaultValueFactory = _ => "bench/peer/seed_peer.py" };
        var transactionRows = new Option<int>("--alone-transaction-rows") { Description = "Rows per transaction of (d)", DefaultValueFactory = _ => 34_000 };
        var config = new Option<string?>("--config") { Description = "HOCON over Aero's reference.conf for the warehouses and the load" };
        var command = new Command("peer", "Aero → PostgreSQL and → DuckDB against the seed-style Python peer and DuckDB alone, same records");
        foreach (var option in new Option[] { records, partitions, input, peer, transactionRows, config })
        {
            command.Options.Add(option);
        }

        command.SetAction(result => RunAsync(result.GetValue(records), result.GetValue(partitions), result.GetValue(input)!, result.GetValue(peer)!, result.GetValue(transactionRows), ConfigurationFactory.ParseString(result.GetValue(config) ?? "")));
        return command;
    }

    private static async Task<int> RunAsync(int count, int partitions, string input, string peer, int transactionRows, Akka.Configuration.Config config)
    {
        using var kafka = EmbeddedKafka.Start();
        kafka.CreateTopic("flights-raw", partitions);
        using var system = ActorSystem.Create("bench", ConfigurationFactory.ParseString("akka.loglevel = WARNING"));
        var materializer = system.Materializer();
        var directory = Directory.CreateTempSubdirectory("aero-bench-peer-").FullName;
        try
        {
            var flights = await InputFlights.ReadAsync(input, count, materializer);
            var events = flights.Select(f => f.EventId).Distinct(StringComparer.Ordinal).Count();
            InputFlights.Produce(kafka.BootstrapServers, "flights-raw", flights, _ => null);
            AnsiConsole.MarkupLineInterpolated($"{flights.Count:N0} records of {input} ({events:N0} event ids) in {partitions} partitions, {Environment.ProcessorCount} cores");

            var clusterId = KafkaCluster.GetClusterId(kafka.BootstrapServers, null, TimeSpan.FromSeconds(10));
            var loadSettings = LoadSettings.Create(config);
            var transform = FlightTransform.Create(TransformSettings.Create());
            using var processed = ProcessedFlightsTopic.Create(ProducerSettings.Create().WithBootstrapServers(kafka.BootstrapServers), transform.Settings.Topic);
            var postgresSettings = PostgresSettings.Create(config).WithSchema(Schema);
            await using (var clean = await PostgresWarehouse.OpenAsync(postgresSettings))
            {
                await clean.QueryAsync($"DROP SCHEMA {Schema} CASCADE");
            }

            var results = new ResultList(flights.Count);
            await using (var postgres = await PostgresWarehouse.OpenAsync(postgresSettings))
            {
                var (elapsed, cpu) = await LoadAsync(kafka, materializer, clusterId, postgres, loadSettings, transform, processed, "(b) Aero → PostgreSQL", flights.Count);
                results.Add(("(b) Aero → PostgreSQL, exactly once", elapsed, cpu, await postgres.CountAsync(WarehouseTables.FlightsRaw)));
            }

            await using (var duck = DuckDbWarehouse.Open(DuckDbSettings.Create(config).WithPath(Path.Combine(directory, "peer.duckdb"))))
            {
                var (elapsed, cpu) = await LoadAsync(kafka, materializer, clusterId, duck, loadSettings, transform, processed, "(c) Aero → DuckDB", flights.Count);
                results.Add(("(c) Aero → DuckDB, exactly once", elapsed, cpu, await duck.CountAsync(WarehouseTables.FlightsRaw)));
            }

            var (peerElapsed, peerCpu) = await ConsoleProgress.TrackAsync("(p) the seed-style Python peer", 1, () => 0, () => RunPeerAsync(kafka.BootstrapServers, peer, flights.Count));
            await using (var postgres = await PostgresWarehouse.OpenAsync(postgresSettings))
            {
                results.Add(("(p) Python peer → PostgreSQL (execute_values, ON CONFLICT)", peerElapsed, peerCpu, await postgres.CountAsync("peer_flights")));
                await postgres.QueryAsync($"DROP SCHEMA {Schema} CASCADE");
            }

            using (var alone = new DuckDbAlone(directory, flights.Count, flights))
            {
                var (elapsed, cpu) = await ConsoleProgress.TrackAsync($"(d) DuckDB alone, transactions of {transactionRows:N0}", 1, () => 0, () => Task.Run(() => alone.Insert(transactionRows)));
                results.Add(($"(d) DuckDB alone: parsed rows, transactions of {transactionRows:N0}", elapsed, cpu, flights.Count));
            }

            var table = new Table().Border(TableBorder.Markdown).AddColumns("", "rows stored", "seconds", "records/s", "CPU per record (this process; (p): Python's)");
            foreach (var (name, elapsed, cpu, stored) in results)
            {
                table.AddRow(Markup.Escape(name), ResultsTable.Count(stored), $"{elapsed.TotalSeconds:N1}", ResultsTable.Count(flights.Count / elapsed.TotalSeconds), $"{cpu.TotalMicroseconds / flights.Count:N1} µs");
            }

            AnsiConsole.Write(table);
            double Rate(int i) => flights.Count / results[i].Elapsed.TotalSeconds;
            AnsiConsole.MarkupLineInterpolated($"(b)/(p) [bold]{Rate(0) / Rate(2):F2}[/] (target 3), (c)/(p) [bold]{Rate(1) / Rate(2):F2}[/] (target 5), (c)/(d) [bold]{Rate(1) / Rate(3):F2}[/] (target 0.7)");
            var ok = results.Take(3).All(r => r.Stored == events);
            AnsiConsole.MarkupLine(ok ? "[green]✓ each load stored every event once[/]" : $"[red]✗ a load did not store exactly the {events:N0} events[/]");
            return ok ? 0 : 1;
        }
        finally
        {
            await system.Terminate();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The results so far, each printed as it comes: a later failure leaves the earlier figures on the console.</summary>
    private sealed class ResultList(int count) : List<(string Name, TimeSpan Elapsed, TimeSpan Cpu, long Stored)>
    {
        public new void Add((string Name, TimeSpan Elapsed, TimeSpan Cpu, long Stored) result)
        {
            base.Add(result);
            AnsiConsole.MarkupLineInterpolated($"{result.Name}: {result.Stored:N0} rows, {result.Elapsed.TotalSeconds:N1} s, {count / result.Elapsed.TotalSeconds:N0} records/s, {result.Cpu.TotalMicroseconds / count:N1} µs CPU per record");
        }
    }

    private static async Task<(TimeSpan Elapsed, TimeSpan Cpu)> LoadAsync(
        EmbeddedKafka kafka, IMaterializer materializer, string clusterId, IWarehouse warehouse, LoadSettings loadSettings, FlightTransform transform, ProcessedFlightsTopic processed, string name, int count)
    {
        var consumerSettings = ConsumerSettings.Create().WithBootstrapServers(kafka.BootstrapServers).WithProperties(EmbeddedKafka.ConsumerProperties);
        using var process = Process.GetCurrentProcess();
        long loaded = 0;
        var cpu = CpuClock.Start(process);
        var clock = Stopwatch.StartNew();
        var control = WarehouseLoad.Create(consumerSettings.WithGroupId($"bench-{name}"), CommitterSettings.Create(), loadSettings, "flights-raw", clusterId, warehouse, transform, processed,
            batch => Interlocked.Add(ref loaded, batch.Result.Inserted + batch.Result.AlreadyStored + batch.Result.DeadLettered)).Run(materializer);
        await ConsoleProgress.TrackAsync(name, count, () => Interlocked.Read(ref loaded),
            () => LoadBenchmark.WaitForAsync(() => Interlocked.Read(ref loaded) >= count || control.StreamCompletion.IsCompleted, Deadline));
        var elapsed = (clock.Elapsed, cpu.Elapsed);
        await control.DrainAndShutdownAsync(TimeSpan.FromSeconds(30));
        return elapsed;
    }

    /// <summary>The peer with Debian's Python (python3-kafka, python3-psycopg2); its own figures, from its first record.</summary>
    private static async Task<(TimeSpan Elapsed, TimeSpan Cpu)> RunPeerAsync(string bootstrap, string script, int count)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { script, "--bootstrap", bootstrap, "--topic", "flights-raw", "--dsn", "host=127.0.0.1 port=5432 user=aero password=aero dbname=aero", "--table", $"{Schema}.peer_flights", "--records", count.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        using var peer = Process.Start(start)!;
        var output = peer.StandardOutput.ReadToEndAsync();
        var errors = peer.StandardError.ReadToEndAsync();
        await peer.WaitForExitAsync();
        if (peer.ExitCode != 0)
        {
            throw new InvalidOperationException($"the peer exited with {peer.ExitCode}: {await errors}");
        }

        using var figures = JsonDocument.Parse((await output).Trim().Split('\n')[^1]);
        return (TimeSpan.FromSeconds(figures.RootElement.GetProperty("seconds").GetDouble()), TimeSpan.FromSeconds(figures.RootElement.GetProperty("cpu_seconds").GetDouble()));
    }
}
