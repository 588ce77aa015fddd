using System.Text.Json;
using Aero.Node.Tests.Metrics;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Node.Tests.Cluster;

/// <summary>
/// Issue 17 §4 (a worker node killed with SIGKILL mid-window; a rebalance mid-window and the coordinator's node killed
/// mid-stream), on PostgreSQL: node processes load 20,000 real flights (flights-20k.json of the vega-datasets
/// scripts/fetch-data brings, in time order) through the embedded Kafka, and a node is killed mid-load; its partitions
/// move to the survivors. The idle timeout is shorter than the time the killed node's partitions go unread, so a
/// finalizer that took them for idle would close their windows early and count their records late. At the end
/// <c>flight_window_stats</c> equals a GROUP BY that PostgreSQL computes over <c>flights</c> itself, no window is merged
/// twice, and nothing counts late.
/// </summary>
public sealed class WindowSigkillSpec(ITestOutputHelper output) : IDisposable
{
    private const int Flights = 20_000;
    private const int SlideMilliseconds = 600_000;
    private const int WindowsPerRecord = 6;
    private readonly LoopbackCluster _cluster = new(output);

    [Fact]
    public async Task Windows_should_stay_exact_on_postgres_when_a_worker_is_sigkilled_mid_window()
    {
        var flights = Path.Combine(RepositoryRoot(), "data", "full", "flights-20k.json");
        Assert.True(File.Exists(flights), $"{flights} is missing: run scripts/fetch-data");
        await _cluster.StartKafkaAsync();
        var (coordinator, worker) = await StartTwoNodesAsync();

        using (var produce = AeroProcess.StartAero(_cluster.Directory, null, "produce", "--input", flights, "--bootstrap", _cluster.Bootstrap))
        {
            Assert.True(await produce.ExitCodeAsync(LoopbackCluster.Timeout) == 0, produce.Output);
        }

        await LoopbackCluster.AwaitAsync(async () => PrometheusText.Value(await LoopbackCluster.MetricsAsync(worker), "aero_warehouse_rows_stored_total") > 0, "the worker storing rows");
        Assert.True(worker.Process.Kill());
        var storedAtKill = (await _cluster.QueryAsync(coordinator, "SELECT count(*) FROM flights"))[0];
        output.WriteLine($"{storedAtKill} flights stored when the worker was killed");
        Assert.True(storedAtKill < Flights, $"the load was over ({storedAtKill} flights) before the kill");

        await AssertWindowsExactAsync(coordinator);
    }

    [Fact]
    public async Task Windows_should_stay_exact_when_a_node_joins_mid_window_and_the_coordinator_s_node_is_killed()
    {
        var flights = Path.Combine(RepositoryRoot(), "data", "full", "flights-20k.json");
        Assert.True(File.Exists(flights), $"{flights} is missing: run scripts/fetch-data");
        var (earlier, later) = await SplitAsync(flights);
        await _cluster.StartKafkaAsync();
        var ports = FreePorts(3);
        var (seed, second) = await StartTwoNodesAsync(ports);

        // The earlier half loaded by two nodes; the windows around its last event times stay open.
        using (var produce = AeroProcess.StartAero(_cluster.Directory, null, "produce", "--input", earlier, "--bootstrap", _cluster.Bootstrap))
        {
            Assert.True(await produce.ExitCodeAsync(LoopbackCluster.Timeout) == 0, produce.Output);
        }

        await LoopbackCluster.AwaitAsync(async () => (await _cluster.QueryAsync(second, "SELECT count(*) FROM flights"))[0] == Flights / 2, "the earlier half stored");

        // A third node joins: the group rebalances while those windows are open, and the later half, whose first
        // records fall into them, is loaded by three nodes.
        var third = await _cluster.StartNodeAsync(await NodeConfigAsync("node2", ports[2], ports[0]));
        await third.Process.WaitForOutputAsync("Assigned flights-raw", LoopbackCluster.Timeout);
        using var laterProduce = AeroProcess.StartAero(_cluster.Directory, null, "produce", "--input", later, "--bootstrap", _cluster.Bootstrap, "--rate", "500");
        await LoopbackCluster.AwaitAsync(async () => PrometheusText.Value(await LoopbackCluster.MetricsAsync(third), "aero_warehouse_rows_stored_total") > 0, "the joining node storing rows");

        // The coordinator's node dies mid-stream. Two of three are the majority: they down it, and the singleton moves
        // to the oldest of them, which reads the windows' state from the warehouse.
        Assert.True(seed.Process.Kill());
        var storedAtKill = (await _cluster.QueryAsync(second, "SELECT count(*) FROM flights"))[0];
        output.WriteLine($"{storedAtKill} flights stored when the coordinator's node was killed");
        Assert.True(storedAtKill < Flights, $"the load was over ({storedAtKill} flights) before the kill");
        await LoopbackCluster.AwaitAsync(
            async () => await _cluster.ShowAsync(second) is var view && view.Coordinator == view.Self,
            "the coordinator on the second node");
        Assert.True(await laterProduce.ExitCodeAsync(LoopbackCluster.Timeout) == 0, laterProduce.Output);

        await AssertWindowsExactAsync(second);
    }

    /// <summary>The flights of <paramref name="path"/> (a JSON array in time order) as two NDJSON files, the earlier half and the later.</summary>
    private async Task<(string Earlier, string Later)> SplitAsync(string path)
    {
        await using var file = File.OpenRead(path);
        var records = (await JsonSerializer.DeserializeAsync<List<JsonElement>>(file))!;
        Assert.Equal(Flights, records.Count);
        var (earlier, later) = (Path.Combine(_cluster.Directory, "earlier.ndjson"), Path.Combine(_cluster.Directory, "later.ndjson"));
        await File.WriteAllLinesAsync(earlier, records.Take(Flights / 2).Select(r => r.GetRawText()));
        await File.WriteAllLinesAsync(later, records.Skip(Flights / 2).Select(r => r.GetRawText()));
        return (earlier, later);
    }

    /// <summary>Once every flight is stored: the windows before the watermark final, none late or merged twice, and equal to PostgreSQL's own GROUP BY.</summary>
    private async Task AssertWindowsExactAsync(ClusterNode coordinator)
    {
        await LoopbackCluster.AwaitAsync(async () => (await _cluster.QueryAsync(coordinator, "SELECT count(*) FROM flights"))[0] == Flights, $"{Flights} flights");
        // Read to its end and silent, every partition turns idle: the watermark is the highest event time less the
        // out-of-orderness, and every window that ends before it is final; only the last few stay open.
        await LoopbackCluster.AwaitAsync(
            async () => (await _cluster.QueryAsync(coordinator, """
                SELECT count(*) FROM flight_window_partials
                WHERE window_end <= (SELECT max(max_event_time) FROM _aero_watermarks) - interval '10 minutes'
                """))[0] == 0,
            "every window before the watermark final");

        Assert.Equal(new long[] { 0, 0 }, await _cluster.QueryAsync(coordinator, $"""
            SELECT (SELECT count(*) FROM flight_window_late), (SELECT count(*) FROM _aero_windows_final WHERE closed_by <> 'watermark')
            """));
        // Merged once: one row per window, dimension and key; and every flight is in its six windows, final or open.
        Assert.Equal(new long[] { 0, (long)Flights * WindowsPerRecord }, await _cluster.QueryAsync(coordinator, """
            SELECT (SELECT count(*) - count(DISTINCT (window_id, dimension, window_key)) FROM flight_window_stats),
              (SELECT sum(flights) FROM flight_window_stats WHERE dimension = 'all') + (SELECT coalesce(sum(flights), 0) FROM flight_window_partials WHERE dimension = 'all')
            """));
        // aero windows show tells the same: every partition read to its end in Kafka and silent, so idle.
        using (var show = AeroProcess.StartAero(_cluster.Directory, null, "windows", "show", "--json", "--node", coordinator.Admin))
        {
            Assert.True(await show.ExitCodeAsync(LoopbackCluster.Timeout) == 0, show.Output);
            var status = JsonDocument.Parse(show.Output).RootElement;
            Assert.Equal(JsonValueKind.Null, status.GetProperty("problem").ValueKind);
            var partitions = status.GetProperty("partitions").EnumerateArray().ToList();
            Assert.Equal(6, partitions.Count);
            Assert.All(partitions, p => Assert.True(p.GetProperty("idle").GetBoolean(), show.Output));
        }

        var (missing, extra, rows) = await ExceptAllAsync(coordinator);
        output.WriteLine($"{rows} rows in flight_window_stats");
        Assert.True(rows > 10_000, $"{rows} window rows");
        Assert.Equal((0L, 0L), (missing, extra));
    }

    public void Dispose() => _cluster.Dispose();

    /// <summary>
    /// The final windows' aggregates, computed by PostgreSQL alone from <c>flights</c> (the windows of the configured
    /// 1 hour every 10 minutes, each dimension), against <c>flight_window_stats</c>, EXCEPT ALL both ways.
    /// </summary>
    private async Task<(long Missing, long Extra, long Rows)> ExceptAllAsync(ClusterNode node)
    {
        static string Keyed(string dimension, string key) => $"SELECT ws, '{dimension}' AS dimension, {key} AS window_key, dep, arr, delay_category FROM w";
        var numbers = await _cluster.QueryAsync(node, $"""
            WITH f AS (
              SELECT CAST(round(extract(epoch FROM coalesce(scheduled_departure, event_time)) * 1000) AS bigint) AS t, airline, origin, destination, route, delay_category,
                CAST(round(departure_delay_minutes * 60000) AS bigint) AS dep, CAST(round(arrival_delay_minutes * 60000) AS bigint) AS arr
              FROM flights),
            w AS (SELECT t - (((t % {SlideMilliseconds}) + {SlideMilliseconds}) % {SlideMilliseconds}) - (k * {SlideMilliseconds}) AS ws, f.* FROM f CROSS JOIN generate_series(0, {WindowsPerRecord - 1}) AS r(k)),
            keyed AS (
              {Keyed("all", "'all'")} UNION ALL {Keyed("airline", "coalesce(airline, '?')")} UNION ALL {Keyed("origin", "coalesce(origin, '?')")}
              UNION ALL {Keyed("destination", "coalesce(destination, '?')")} UNION ALL {Keyed("route", "route")}
              UNION ALL {Keyed("delay-category", "coalesce(delay_category, '?')")}),
            expected AS (
              SELECT ws, dimension, window_key, count(*) AS flights, count(dep), coalesce(sum(dep), 0), min(dep), max(dep),
                count(arr), coalesce(sum(arr), 0), min(arr), max(arr),
                count(*) FILTER (WHERE delay_category = 'On-Time'), count(*) FILTER (WHERE delay_category = 'Minor'),
                count(*) FILTER (WHERE delay_category = 'Moderate'), count(*) FILTER (WHERE delay_category = 'Major')
              FROM keyed
              WHERE ws IN (SELECT CAST(round(extract(epoch FROM window_start) * 1000) AS bigint) FROM _aero_windows_final)
              GROUP BY ws, dimension, window_key),
            actual AS (
              SELECT CAST(round(extract(epoch FROM window_start) * 1000) AS bigint), dimension, window_key, flights, departure_delay_count,
                departure_delay_sum_ms, departure_delay_min_ms, departure_delay_max_ms, arrival_delay_count, arrival_delay_sum_ms,
                arrival_delay_min_ms, arrival_delay_max_ms, on_time, minor, moderate, major
              FROM flight_window_stats)
            SELECT (SELECT count(*) FROM (SELECT * FROM expected EXCEPT ALL SELECT * FROM actual) m),
              (SELECT count(*) FROM (SELECT * FROM actual EXCEPT ALL SELECT * FROM expected) e),
              (SELECT count(*) FROM actual)
            """);
        return (numbers[0], numbers[1], numbers[2]);
    }

    /// <summary>
    /// The seed (oldest, so it hosts the coordinator singleton) and a worker joining it, both loading once each is
    /// assigned partitions. The seed has the lower port: of two nodes, the split-brain resolver (keep-majority) keeps the
    /// side with the lowest address, so a killed seed would take the survivor down with it. Idle after 3 s, shorter than
    /// the killed node's partitions go unread (the session timeout alone is 6 s); every window open till its watermark,
    /// however far the survivor's partitions run ahead.
    /// </summary>
    private async Task<(ClusterNode Coordinator, ClusterNode Worker)> StartTwoNodesAsync(int[]? ports = null)
    {
        ports ??= FreePorts(2);
        var nodes = new List<ClusterNode>();
        for (var i = 0; i < 2; i++)
        {
            nodes.Add(await _cluster.StartNodeAsync(await NodeConfigAsync($"node{i}", ports[i], ports[0])));
        }

        await LoopbackCluster.AwaitAsync(async () => (await _cluster.ShowAsync(nodes[0])).Members.Count(m => m.Status == "Up") == 2, "2 Up members");
        await LoopbackCluster.AwaitAsync(async () => (await _cluster.ShowAsync(nodes[1])).Coordinator == (await _cluster.ShowAsync(nodes[0])).Self, "the coordinator on the seed");
        foreach (var node in nodes)
        {
            await node.Process.WaitForOutputAsync("Assigned flights-raw", LoopbackCluster.Timeout);
        }

        return (nodes[0], nodes[1]);
    }

    private Task<string> NodeConfigAsync(string name, int port, int seedPort) => _cluster.WriteConfigAsync(name, $$"""
        aero.cluster { port = {{port}}, seed-nodes = ["127.0.0.1:{{seedPort}}"] }
        aero.windows { idle-timeout = 3s, finalizer { tick-interval = 1s, max-open-windows = 1000000 } }
        """);

    /// <summary><paramref name="count"/> distinct free ports, lowest first: the seed takes the lowest.</summary>
    private static int[] FreePorts(int count)
    {
        var ports = new SortedSet<int>();
        while (ports.Count < count)
        {
            ports.Add(LoopbackCluster.FreePort(System.Net.IPAddress.Loopback));
        }

        return [.. ports];
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Aero.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("Aero.sln not found above " + AppContext.BaseDirectory);
    }
}
