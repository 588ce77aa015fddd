using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Aero.Kafka.Embedded;
using Aero.Warehouse.BigQuery;
using Spectre.Console;

namespace Aero.Bench.Chaos;

/// <summary>
/// The fault campaign (<c>scripts/chaos</c>): several <c>aero run</c> nodes load the raw topic of an embedded Kafka
/// (three brokers, in this process) into a shared PostgreSQL while good and bad records keep arriving, and one fault at
/// a time hits them: a node killed with SIGKILL or stopped with SIGTERM (and started again), a broker down, the
/// warehouse stalled or restarted. At the end the load must catch up, and <see cref="ChaosAudit"/> must find every
/// record exactly once where it belongs. Exit code 1 on any difference.
/// </summary>
internal static class ChaosCommand
{
    private const string Topic = "flights-raw";

    /// <summary>Log bytes allowed per partition, under the embedded Kafka's 5 MiB trim, and a record's size in the log at most.</summary>
    private const long BudgetPerPartition = 4L * 1024 * 1024;

    private const long BytesPerRecordEstimate = 400;

    public static Command CreateCommand()
    {
        var duration = DurationOption("--duration", "How long faults are injected while records arrive (e.g. 90s, 2m, 30m)", TimeSpan.FromMinutes(2));
        var seed = new Option<int>("--seed") { Description = "Chooses the faults, their order and lengths, and the bad records", DefaultValueFactory = _ => 1 };
        var nodes = new Option<int>("--nodes") { Description = "aero run nodes in the cluster (one fault at a time keeps a majority)", DefaultValueFactory = _ => 3 };
        var partitions = new Option<int>("--partitions") { Description = "Partitions of the raw topic", DefaultValueFactory = _ => 12 };
        var rate = new Option<int>("--rate") { Description = "Records produced per second", DefaultValueFactory = _ => 300 };
        var badShare = new Option<double>("--bad-share") { Description = "Share of bad records (dead letters to be)", DefaultValueFactory = _ => 0.05 };
        var postgresPort = new Option<int>("--postgres-port") { Description = "Port of the campaign's own PostgreSQL server (started, stalled and restarted by it)", DefaultValueFactory = _ => 5499 };
        var catchUp = DurationOption("--catch-up", "How long the load may take to reach the log end after the faults", TimeSpan.FromMinutes(3));
        var command = new Command("chaos", "Fault campaign: load while nodes, brokers and the warehouse fail; then audit every record");
        foreach (var option in new Option[] { duration, seed, nodes, partitions, rate, badShare, catchUp, postgresPort })
        {
            command.Options.Add(option);
        }

        command.SetAction(result =>
        {
            var options = new ChaosOptions(
                result.GetValue(duration), result.GetValue(seed), result.GetValue(nodes), result.GetValue(partitions), result.GetValue(rate),
                result.GetValue(badShare), result.GetValue(catchUp), result.GetValue(postgresPort), Directory.CreateTempSubdirectory("aero-chaos-").FullName);
            return RunAsync(options);
        });
        return command;
    }

    /// <summary>A duration as people write it: a number with s, m or h.</summary>
    private static Option<TimeSpan> DurationOption(string name, string description, TimeSpan defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (text.Length > 1 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number > 0)
            {
                switch (text[^1])
                {
                    case 's': return TimeSpan.FromSeconds(number);
                    case 'm': return TimeSpan.FromMinutes(number);
                    case 'h': return TimeSpan.FromHours(number);
                }
            }

            result.AddError($"{name} {text}: expected a positive number with s, m or h, e.g. 90s, 2m or 1h.");
            return default;
        },
    };

    private static async Task<int> RunAsync(ChaosOptions options)
    {
        var expectedBytes = (long)(options.Rate * options.Duration.TotalSeconds * BytesPerRecordEstimate / options.Partitions);
        if (options.Nodes < 1 || options.Partitions < 1 || options.Rate < 10 || options.BadShare is < 0 or > 1)
        {
            AnsiConsole.MarkupLine("[red]✗ --nodes and --partitions must be at least 1, --rate at least 10, --bad-share between 0 and 1.[/]");
            return 2;
        }

        if (expectedBytes > BudgetPerPartition)
        {
            AnsiConsole.MarkupLine($"[red]✗ {options.Rate} records/s for {options.Duration} is about {expectedBytes / 1024 / 1024} MiB per partition; the embedded Kafka keeps 5 MiB. Raise --partitions or lower --rate.[/]");
            return 2;
        }

        var repository = Repository();
        var aeroDll = Path.Combine(repository, "Aero.Node", "bin", "Release", "net10.0", "aero.dll");
        if (!File.Exists(aeroDll))
        {
            AnsiConsole.MarkupLine($"[red]✗ {Markup.Escape(aeroDll)} is missing: build it first (dotnet build Aero.Node -c Release), as scripts/chaos does.[/]");
            return 2;
        }

        var schema = "chaos_" + Guid.NewGuid().ToString("N")[..12];
        AnsiConsole.MarkupLine($"Chaos: seed {options.Seed}, {options.Duration} of faults, {options.Nodes} nodes, {options.Partitions} partitions, {options.Rate} records/s ({options.BadShare:P0} bad)");
        AnsiConsole.MarkupLine($"Warehouse: a PostgreSQL server of its own on port {options.PostgresPort}, schema {schema}; node logs in {Markup.Escape(options.RunDirectory)}");

        var postgres = new PostgresServer(repository, options.PostgresPort, $"/var/lib/postgresql/aero-chaos-{options.PostgresPort}");
        try
        {
            await postgres.StartAsync();
        }
        catch (Exception error) when (error is Npgsql.NpgsqlException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            AnsiConsole.MarkupLine($"[red]✗ PostgreSQL: {Markup.Escape(error.Message)}[/]");
            return 2;
        }

        using var kafka = EmbeddedKafka.Start(brokers: 3);
        kafka.CreateTopic(Topic, options.Partitions, replicationFactor: 3);
        kafka.CreateTopic("flights-dlq", options.Partitions, replicationFactor: 3);
        var random = new Random(options.Seed);
        var clock = Stopwatch.StartNew();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var nodes = await StartNodesAsync(options, repository, aeroDll, kafka.BootstrapServers, postgres.ConnectionString, schema);
        var exitedByThemselves = 0;
        try
        {
            void Say(string what) => AnsiConsole.MarkupLine($"[grey][[{clock.Elapsed:mm\\:ss}]][/] {Markup.Escape(what)}");

            Say($"waiting for {nodes.Count} nodes to start their load graph");
            foreach (var node in nodes)
            {
                await WaitForLogAsync(node, options.RunDirectory, "Graph load started", TimeSpan.FromMinutes(2));
            }

            var feed = new ChaosFeed(kafka.BootstrapServers, Topic, options.Rate, options.BadShare, options.Seed);
            using var stopFeed = new CancellationTokenSource();
            var feeding = Task.Run(() => feed.RunAsync(stopFeed.Token));
            var end = clock.Elapsed + options.Duration;
            while (clock.Elapsed < end)
            {
                await Task.Delay(TimeSpan.FromSeconds(random.Next(3, 10)));
                exitedByThemselves += RestartExited(nodes, Say);
                var fault = random.Next(5);
                var length = TimeSpan.FromSeconds(random.Next(2, 12));
                switch (fault)
                {
                    case 0:
                        {
                            var node = nodes[random.Next(nodes.Count)];
                            Say($"SIGKILL node {node.Index}; start it again in {length.TotalSeconds:0} s");
                            node.Kill();
                            await Task.Delay(length);
                            node.Start();
                            Count(counts, "node killed (SIGKILL)");
                            break;
                        }

                    case 1:
                        {
                            var node = nodes[random.Next(nodes.Count)];
                            Say($"SIGTERM node {node.Index}");
                            var clean = await node.TerminateAsync(TimeSpan.FromSeconds(90));
                            Say(clean ? $"node {node.Index} drained and exited 0; starting it again" : $"node {node.Index} did NOT exit 0 after SIGTERM (exit {node.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none"}); starting it again");
                            Count(counts, clean ? "node stopped (SIGTERM, exit 0)" : "node stopped (SIGTERM, NOT clean)");
                            node.Start();
                            break;
                        }

                    case 2:
                        {
                            var broker = random.Next(1, kafka.BrokerCount + 1);
                            Say($"broker {broker} down for {length.TotalSeconds:0} s");
                            kafka.SetBrokerDown(broker);
                            await Task.Delay(length);
                            kafka.SetBrokerUp(broker);
                            Count(counts, "broker down and up");
                            break;
                        }

                    case 3:
                        Say($"PostgreSQL stalled (SIGSTOP) for {length.TotalSeconds:0} s");
                        await postgres.StallAsync(length);
                        Count(counts, "warehouse stalled");
                        break;

                    default:
                        Say("PostgreSQL restarted (fast shutdown, start)");
                        await postgres.RestartAsync();
                        Count(counts, "warehouse restarted");
                        break;
                }
            }

            Say($"faults over; stopping the feed ({feed.Sent:N0} records sent)");
            await stopFeed.CancelAsync();
            await feeding;
            exitedByThemselves += RestartExited(nodes, Say);
            var audit = new ChaosAudit(kafka.BootstrapServers, Topic, options.Partitions, postgres.ConnectionString, schema, options.Seed);
            var logEnds = audit.LogEnds();
            var caughtUp = await CatchUpAsync(audit, logEnds, options.CatchUpTimeout, Say);
            var verdict = await audit.RunAsync(logEnds);

            var stoppedCleanly = 0;
            foreach (var node in nodes)
            {
                stoppedCleanly += await node.TerminateAsync(TimeSpan.FromSeconds(90)) ? 1 : 0;
            }

            var table = new Table().Border(TableBorder.Markdown).AddColumns("what", "count");
            foreach (var (what, count) in counts.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                table.AddRow(Markup.Escape(what), count.ToString("N0", CultureInfo.InvariantCulture));
            }

            table.AddRow("nodes that exited by themselves (started again)", exitedByThemselves.ToString(CultureInfo.InvariantCulture));
            table.AddRow("records produced (acknowledged / given up)", $"{feed.Delivered:N0} / {feed.Failed:N0}");
            table.AddRow("in the log: good / bad", $"{verdict.Good:N0} / {verdict.Bad:N0}");
            table.AddRow("good records the log holds twice (stored once)", verdict.GoodTwiceInLog.ToString("N0", CultureInfo.InvariantCulture));
            table.AddRow("flights_raw rows / dlq rows", $"{verdict.Rows:N0} / {verdict.DeadLetters:N0}");
            table.AddRow("nodes that drained and exited 0 at the end", $"{stoppedCleanly} of {nodes.Count}");
            AnsiConsole.Write(table);
            foreach (var failure in verdict.Failures)
            {
                AnsiConsole.MarkupLine($"[red]  ✗ {Markup.Escape(failure)}[/]");
            }

            var passed = caughtUp && verdict.Passed && stoppedCleanly == nodes.Count;
            if (!passed)
            {
                foreach (var node in nodes)
                {
                    var log = Path.Combine(options.RunDirectory, $"node{node.Index}.log");
                    AnsiConsole.MarkupLine($"[grey]---- the last lines of {Markup.Escape(log)}[/]");
                    AnsiConsole.WriteLine(string.Join('\n', (await ReadSharedAsync(log)).Split('\n').TakeLast(40)));
                }
            }

            AnsiConsole.MarkupLine(passed
                ? $"[green]✓ chaos seed {options.Seed}: stored = produced − dead-lettered, every offset once, every event id once, every dead letter with its reason[/]"
                : $"[red]✗ chaos seed {options.Seed} FAILED: {verdict.FailureCount:N0} differences{(caughtUp ? "" : ", the load did not catch up")}{(stoppedCleanly == nodes.Count ? "" : ", a node did not stop cleanly")} (node logs in {Markup.Escape(options.RunDirectory)})[/]");
            return passed ? 0 : 1;
        }
        finally
        {
            foreach (var node in nodes)
            {
                node.Dispose();
            }

            await postgres.StopAsync();
        }
    }

    private static async Task<List<NodeProcess>> StartNodesAsync(ChaosOptions options, string repository, string aeroDll, string bootstrap, string connection, string schema)
    {
        // Every node is a seed at a fixed port, so a restarted node (the first seed included) joins the running cluster
        // instead of forming one of its own.
        var ports = Enumerable.Range(0, options.Nodes).Select(_ => FreePort()).ToList();
        var seeds = string.Join(", ", ports.Select(p => $"\"127.0.0.1:{p}\""));
        var overlay = await File.ReadAllTextAsync(Path.Combine(repository, "hocon", "test.conf"));
        var nodes = new List<NodeProcess>();
        for (var i = 0; i < options.Nodes; i++)
        {
            var config = Path.Combine(options.RunDirectory, $"node{i}.conf");
            await File.WriteAllTextAsync(config, overlay + $$"""

                aero.cluster { port = {{ports[i]}}, seed-nodes = [{{seeds}}] }
                aero.kafka.consumer.kafka-clients { "session.timeout.ms" = 6000, "heartbeat.interval.ms" = 500 }
                aero.warehouse { kind = postgres, postgres { connection-string = "{{connection}}", schema = {{schema}} } }
                aero.load.batch-size = 500
                """);
            var node = new NodeProcess(i, aeroDll, config, bootstrap, Path.Combine(options.RunDirectory, $"node{i}.log"));
            node.Start();
            nodes.Add(node);
        }

        return nodes;
    }

    /// <summary>Starts again, as Kubernetes would, any node that exited on its own; how many did.</summary>
    private static int RestartExited(List<NodeProcess> nodes, Action<string> say)
    {
        var restarted = 0;
        foreach (var node in nodes.Where(n => !n.Running))
        {
            say($"node {node.Index} had exited by itself (exit {node.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "?"}); starting it again");
            node.Start();
            restarted++;
        }

        return restarted;
    }

    private static async Task<bool> CatchUpAsync(ChaosAudit audit, long[] logEnds, TimeSpan timeout, Action<string> say)
    {
        var total = logEnds.Sum();
        var deadline = DateTime.UtcNow + timeout;
        var lastReport = DateTime.MinValue;
        while (true)
        {
            var stored = await audit.StoredOffsetsAsync();
            var behind = stored.Select((s, p) => Math.Max(0, logEnds[p] - s)).Sum();
            if (behind == 0)
            {
                say($"the warehouse's offsets reached the log end ({total:N0} records)");
                return true;
            }

            if (DateTime.UtcNow > deadline)
            {
                say($"STALL: {behind:N0} records behind the log end after {timeout}");
                return false;
            }

            if (DateTime.UtcNow - lastReport > TimeSpan.FromSeconds(10))
            {
                say($"catching up: {behind:N0} of {total:N0} records to go");
                lastReport = DateTime.UtcNow;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    private static async Task WaitForLogAsync(NodeProcess node, string runDirectory, string text, TimeSpan timeout)
    {
        var path = Path.Combine(runDirectory, $"node{node.Index}.log");
        var deadline = DateTime.UtcNow + timeout;
        while (!(File.Exists(path) && (await ReadSharedAsync(path)).Contains(text, StringComparison.Ordinal)))
        {
            if (DateTime.UtcNow > deadline || !node.Running)
            {
                throw new TimeoutException($"node {node.Index} did not log \"{text}\" within {timeout} (see {path}).");
            }

            await Task.Delay(250);
        }
    }

    private static async Task<string> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    private static void Count(Dictionary<string, int> counts, string what) => counts[what] = counts.GetValueOrDefault(what) + 1;

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The repository's root: the nearest folder above this program that holds Aero.sln.</summary>
    private static string Repository()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Aero.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Aero.sln not found above " + AppContext.BaseDirectory);
    }
}
