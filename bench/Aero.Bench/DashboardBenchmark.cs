using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Aero.Actors.Jobs;
using Aero.Flights;
using Aero.Kafka.Messages;
using Aero.Node.Configuration;
using Aero.Node.Dashboard;
using Aero.Streams.Extract;
using Aero.Streams.Transform;
using Aero.Warehouse;
using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using Spectre.Console;

namespace Aero.Bench;

/// <summary>
/// Issue 19 §2: latency of the dashboard's page and data endpoints on a real node (<c>aero serve</c>) over a warehouse
/// holding the flights of flights-3m.parquet, on DuckDB and PostgreSQL. The setup writes the flights through the
/// warehouse's own batch writer after the load's transform, then runs the summary job as the coordinator does; the node
/// runs with its schedule off and <c>aero.dashboard.refresh-interval</c> at its minimum, and each request waits past
/// that interval, so every data request reads the warehouse (none is answered from the node's memory).
/// </summary>
internal static partial class DashboardBenchmark
{
    private const string Topic = "flights-raw";
    private const int BatchRows = 20_000;
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan NodeStart = TimeSpan.FromMinutes(3);

    public static Command CreateCommand()
    {
        var flights = new Option<int>("--flights") { Description = "Flights of the Parquet file stored (default: all 3,000,000)", DefaultValueFactory = _ => 3_000_000 };
        var requests = new Option<int>("--requests") { Description = "Requests per endpoint", DefaultValueFactory = _ => 200 };
        var backends = new Option<string[]>("--backends") { Description = "Warehouses to measure", DefaultValueFactory = _ => ["duckdb", "postgres"], AllowMultipleArgumentsPerToken = true };
        var parquet = new Option<string>("--parquet") { Description = "The flights (scripts/fetch-data)", DefaultValueFactory = _ => "data/full/flights-3m.parquet" };
        var postgres = new Option<string>("--postgres")
        {
            Description = "PostgreSQL connection string (a schema of its own is created and dropped)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("AERO_TEST_POSTGRES") is { Length: > 0 } given ? given : "Host=127.0.0.1;Port=5432;Username=aero;Password=aero;Database=aero",
        };
        var command = new Command("dashboard", "Latency of GET /dashboard and its data endpoints on a node over a warehouse of all flights (issue 19 §2)");
        foreach (var option in new Option[] { flights, requests, backends, parquet, postgres })
        {
            command.Options.Add(option);
        }

        command.SetAction((result, cancellation) => RunAsync(
            result.GetValue(flights), result.GetValue(requests), result.GetValue(backends)!, result.GetValue(parquet)!, result.GetValue(postgres)!, cancellation));
        return command;
    }

    private static async Task<int> RunAsync(int flights, int requests, string[] backends, string parquet, string postgres, CancellationToken cancellation)
    {
        if (!File.Exists(parquet))
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{parquet} is missing: run scripts/fetch-data first.[/]");
            return 1;
        }

        var ok = true;
        foreach (var backend in backends)
        {
            var directory = Directory.CreateTempSubdirectory("aero-bench-dashboard-").FullName;
            var schema = $"aero_bench_dashboard_{Guid.NewGuid():N}";
            try
            {
                var overlay = await WriteOverlayAsync(directory, backend, postgres, schema);
                var config = AeroConfiguration.Load(overlay, _ => null);
                long stored;
                await using (var warehouse = await Warehouses.OpenAsync(config, cancellation))
                {
                    stored = await FillAsync(warehouse, parquet, flights, cancellation);
                    await SummarizeAsync(config, warehouse, cancellation);
                }

                ok &= await MeasureAsync(backend, directory, overlay, stored, requests, cancellation);
            }
            finally
            {
                if (backend == "postgres")
                {
                    await using var connection = new Npgsql.NpgsqlConnection(postgres);
                    await connection.OpenAsync(CancellationToken.None);
                    await using var drop = new Npgsql.NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
                    await drop.ExecuteNonQueryAsync(CancellationToken.None);
                }

                Directory.Delete(directory, recursive: true);
            }
        }

        return ok ? 0 : 1;
    }

    /// <summary>hocon/test.conf (free ports) and the warehouse, no schedule, the shortest refresh interval.</summary>
    private static async Task<string> WriteOverlayAsync(string directory, string backend, string postgres, string schema)
    {
        var warehouse = backend switch
        {
            "duckdb" => $"aero.warehouse {{ kind = duckdb, duckdb.path = {JsonSerializer.Serialize(Path.Combine(directory, "aero.duckdb"))} }}",
            "postgres" => $"aero.warehouse {{ kind = postgres, postgres {{ connection-string = {JsonSerializer.Serialize(postgres)}, schema = {schema} }} }}",
            _ => throw new ArgumentException($"--backends: {backend} is not duckdb or postgres."),
        };
        var path = Path.Combine(directory, "bench.conf");
        var test = await File.ReadAllTextAsync(Path.Combine(AeroConfiguration.HoconDirectory, "test.conf"));
        await File.WriteAllTextAsync(path, $"""
            {test}
            {warehouse}
            aero.jobs.scheduled = off
            aero.dashboard.refresh-interval = {RefreshInterval.TotalMilliseconds}ms
            """);
        return path;
    }

    /// <summary>The first <paramref name="count"/> flights, transformed as the load does, written in the load's batches; returns the rows stored.</summary>
    private static async Task<long> FillAsync(IWarehouse warehouse, string parquet, int count, CancellationToken cancellation)
    {
        var transform = FlightTransform.Create(TransformSettings.Create());
        using var system = ActorSystem.Create("aero-bench-dashboard", "akka.loglevel = WARNING");
        var clock = Stopwatch.StartNew();
        long offset = 0, stored = 0;
        await FlightFileSource.Create(parquet).Take(count).Grouped(BatchRows).SelectAsync(1, async records =>
        {
            var processedAt = DateTime.UtcNow;
            var rows = new List<LoadRow>(BatchRows);
            foreach (var record in records)
            {
                var flight = record.Flight ?? throw new InvalidOperationException($"{record.Location}: {record.Rejection}");
                if (!transform.TryTransform(flight, processedAt, out var processed, out var reason))
                {
                    throw new InvalidOperationException($"{record.Location}: {reason}");
                }

                rows.Add(new LoadRow(flight, JsonSerializer.Serialize(flight, FlightJsonContext.Default.FlightRecord), new KafkaPosition(Topic, 0, offset++, processedAt), processed));
            }

            var result = await warehouse.WriteAsync(new LoadBatch("bench-dashboard", rows, [], new Dictionary<(string, int), long> { [(Topic, 0)] = offset }), cancellation);
            stored += result.Inserted;
            return stored;
        }).RunWith(Sink.Ignore<long>(), system.Materializer());
        AnsiConsole.MarkupLineInterpolated($"{warehouse.Description}: {stored:N0} flights stored in {clock.Elapsed.TotalSeconds:N0} s");
        return stored;
    }

    /// <summary>The summary job, run as the coordinator runs a job.</summary>
    private static async Task SummarizeAsync(Akka.Configuration.Config config, IWarehouse warehouse, CancellationToken cancellation)
    {
        var runtime = JobsRuntime.Create(config, warehouse);
        var job = DashboardSettings.Create(config).SummaryJob;
        var clock = Stopwatch.StartNew();
        await using var scheduler = new JobScheduler(runtime.Settings, runtime.Engines, runtime.Store, runtime.Clock, $"bench#{Guid.NewGuid():N}", NoLogger.Instance);
        await scheduler.StartAsync(cancellation);
        var started = await scheduler.RunNowAsync(job, null, cancellation);
        await scheduler.WhenIdleAsync();
        var run = (await scheduler.GetAsync(started.RunId, cancellation))!;
        if (run.State != JobRunState.Succeeded)
        {
            throw new InvalidOperationException($"Job {job}: {run.State}: {run.Error}");
        }

        AnsiConsole.MarkupLineInterpolated($"Job {job}: {run.RowsWritten:N0} rows in {clock.Elapsed.TotalSeconds:N1} s");
    }

    /// <summary>Starts <c>aero serve</c> on the warehouse and times every endpoint; false when an answer was wrong.</summary>
    private static async Task<bool> MeasureAsync(string backend, string directory, string overlay, long stored, int requests, CancellationToken cancellation)
    {
        using var node = new Process
        {
            StartInfo = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "aero.dll"), "serve", "--config", overlay])
            {
                WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            },
        };
        var dashboard = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        node.OutputDataReceived += (_, line) => Seen(line.Data);
        node.ErrorDataReceived += (_, line) => Seen(line.Data);
        node.Start();
        node.BeginOutputReadLine();
        node.BeginErrorReadLine();
        try
        {
            var page = await dashboard.Task.WaitAsync(NodeStart, cancellation);
            using var http = new HttpClient { BaseAddress = new Uri(page.GetLeftPart(UriPartial.Authority)), Timeout = TimeSpan.FromSeconds(30) };
            var summary = JsonDocument.Parse(await GetAsync(http, "/dashboard/api/summary", cancellation)).RootElement.GetProperty("flights").GetInt64();
            var right = summary == stored;
            if (right)
            {
                AnsiConsole.MarkupLineInterpolated($"[green]✓ the dashboard shows the {stored:N0} flights stored[/]");
            }
            else
            {
                AnsiConsole.MarkupLineInterpolated($"[red]✗ the dashboard shows {summary:N0} flights, {stored:N0} were stored[/]");
            }

            var table = new Table().Border(TableBorder.Markdown).AddColumns($"{backend}, {stored:N0} flights: GET", "requests", "p50 ms", "p99 ms", "max ms");
            string[] endpoints = [DashboardEndpoint.PagePath, $"{DashboardEndpoint.PagePath}/api/summary", .. DashboardEndpoint.ChartNames.Select(c => $"{DashboardEndpoint.PagePath}/api/charts/{c}")];
            foreach (var endpoint in endpoints)
            {
                var times = new List<double>(requests);
                for (var i = 0; i < requests; i++)
                {
                    // Past the refresh interval, so the request reads the warehouse.
                    await Task.Delay(RefreshInterval + TimeSpan.FromMilliseconds(10), cancellation);
                    var clock = Stopwatch.StartNew();
                    await GetAsync(http, endpoint, cancellation);
                    times.Add(clock.Elapsed.TotalMilliseconds);
                }

                var (p50, p99, max) = ResultsTable.Percentiles(times);
                table.AddRow(endpoint, ResultsTable.Count(requests), Ms(p50), Ms(p99), Ms(max));
            }

            AnsiConsole.Write(table);
            return right;
        }
        catch (TimeoutException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]✗ the node did not serve its dashboard within {NodeStart}:[/]");
            AnsiConsole.WriteLine(string.Join('\n', output));
            return false;
        }
        finally
        {
            node.Kill(entireProcessTree: true);
            await node.WaitForExitAsync(CancellationToken.None);
        }

        void Seen(string? line)
        {
            if (line is null)
            {
                return;
            }

            output.Enqueue(line);
            if (DashboardLine().Match(line) is { Success: true } match)
            {
                dashboard.TrySetResult(new Uri(match.Groups["uri"].Value));
            }
        }
    }

    private static async Task<string> GetAsync(HttpClient http, string path, CancellationToken cancellation)
    {
        using var response = await http.GetAsync(path, cancellation);
        var body = await response.Content.ReadAsStringAsync(cancellation);
        return response.IsSuccessStatusCode ? body : throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {body}");
    }

    private static string Ms(double value) => value.ToString("N1", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"Dashboard (?<uri>http://\S+/dashboard)")]
    private static partial Regex DashboardLine();
}
