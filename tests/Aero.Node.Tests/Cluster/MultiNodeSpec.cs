using System.Globalization;
using System.Text.RegularExpressions;
using Aero.Node.Tests.Metrics;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Node.Tests.Cluster;

/// <summary>
/// Three node processes on loopback form a cluster over the embedded Kafka (its own process) and a shared PostgreSQL.
/// One is killed with SIGKILL mid-load, or stopped with SIGTERM mid-load; either way every record ends in the
/// warehouse exactly once, and a graceful leave hands its partitions over exactly at its commit boundary.
/// </summary>
public sealed partial class MultiNodeSpec(ITestOutputHelper output) : IDisposable
{
    private readonly LoopbackCluster _cluster = new(output);

    [Fact]
    public async Task Three_nodes_should_survive_a_sigkill_of_the_oldest_move_the_coordinator_and_store_every_record_once()
    {
        const int half = 30_000;
        const int records = 2 * half;
        await _cluster.StartKafkaAsync();
        await _cluster.ProduceAsync(half);
        var nodes = await StartThreeNodesAsync();

        // The oldest node (the seed, started first) hosts the coordinator singleton, once its manager has started it
        // there (after the members are Up) and the survivor's proxy has found it.
        var (oldest, survivor) = (nodes[0], nodes[1]);
        await LoopbackCluster.AwaitAsync(async () => (await _cluster.ShowAsync(survivor)).Coordinator is not null, "the coordinator singleton located");
        var before = await _cluster.ShowAsync(survivor);
        var oldestAddress = (await _cluster.ShowAsync(oldest)).Self;
        Assert.Equal(oldestAddress, before.Coordinator);

        // Killed while records are still arriving, and once it has stored some.
        var secondHalf = _cluster.ProduceAsync(half, first: half);
        await LoopbackCluster.AwaitAsync(async () => PrometheusText.Value(await LoopbackCluster.MetricsAsync(oldest), "aero_warehouse_rows_stored_total") > 0, "the oldest node storing rows");
        Assert.True(oldest.Process.Kill());
        await secondHalf;
        await LoopbackCluster.AwaitAsync(async () => (await _cluster.ShowAsync(survivor)).Members.Count == 2, "the killed node downed and removed");
        var after = await _cluster.ShowAsync(survivor);
        Assert.All(after.Members, m => Assert.Equal("Up", m.Status));
        Assert.DoesNotContain(after.Members, m => m.Address == oldestAddress);
        // The singleton moved to the oldest survivor.
        await LoopbackCluster.AwaitAsync(async () => (await _cluster.ShowAsync(survivor)).Coordinator == after.Self, "the coordinator on the oldest survivor");

        await LoopbackCluster.AwaitAsync(async () => (await _cluster.QueryAsync(survivor, "SELECT count(*) FROM flights_raw"))[0] == records, $"{records} rows");
        var stored = await _cluster.QueryAsync(survivor, "SELECT count(*), count(DISTINCT (kafka_topic, kafka_partition, kafka_offset)), count(DISTINCT event_id) FROM flights_raw");
        Assert.Equal(new long[] { records, records, records }, stored);

        foreach (var node in nodes.Skip(1))
        {
            node.Process.Terminate();
            Assert.Equal(0, await node.Process.ExitCodeAsync(LoopbackCluster.Timeout));
        }
    }

    [Fact]
    public async Task A_node_stopped_with_sigterm_mid_load_should_drain_and_hand_over_its_partitions_at_its_commit_boundary()
    {
        const int half = 20_000;
        await _cluster.StartKafkaAsync();
        // Nothing is in the topic until the three nodes have settled their assignment, so only the leave moves records.
        var nodes = await StartThreeNodesAsync();
        var leaver = nodes[2];

        var firstHalf = _cluster.ProduceAsync(half);
        await LoopbackCluster.AwaitAsync(async () => PrometheusText.Value(await LoopbackCluster.MetricsAsync(leaver), "aero_warehouse_rows_stored_total") > 0, "the leaving node storing rows");
        leaver.Process.Terminate();
        Assert.Equal(0, await leaver.Process.ExitCodeAsync(LoopbackCluster.Timeout));
        await firstHalf;
        // After the leave, its partitions are loaded by the others only.
        await _cluster.ProduceAsync(half, first: half);

        const int records = 2 * half;
        var (stayer, other) = (nodes[0], nodes[1]);
        await LoopbackCluster.AwaitAsync(async () => (await _cluster.QueryAsync(stayer, "SELECT count(*) FROM flights_raw"))[0] == records, $"{records} rows");
        var stored = await _cluster.QueryAsync(stayer, "SELECT count(*), count(DISTINCT (kafka_topic, kafka_partition, kafka_offset)), count(DISTINCT event_id) FROM flights_raw");
        Assert.Equal(new long[] { records, records, records }, stored);

        var leaverSummary = Summary().Match(leaver.Process.Output);
        Assert.True(leaverSummary.Success, leaver.Process.Output);
        var storedByLeaver = long.Parse(leaverSummary.Groups["stored"].Value, CultureInfo.InvariantCulture);
        Assert.True(storedByLeaver > 0);
        Assert.Equal("0", leaverSummary.Groups["already"].Value);
        // Exactly once with nothing read twice: the others read each record the leaver had not committed, once, and
        // found none of its rows already there (an overlap past its commit would show as rows already stored).
        long emitted = 0;
        foreach (var node in new[] { stayer, other })
        {
            var metrics = await LoopbackCluster.MetricsAsync(node);
            var alreadyStored = PrometheusText.Value(metrics, "aero_warehouse_rows_already_stored_total") ?? 0;
            Assert.True(alreadyStored == 0, $"{node.Admin} found {alreadyStored} rows already stored; its assignments:\n{AssignmentLog(node)}\nthe leaver's:\n{AssignmentLog(leaver)}");
            emitted += (long)(PrometheusText.Value(metrics, "aero_kafka_records_consumed_total") ?? 0)
                - (long)(PrometheusText.Value(metrics, "aero_kafka_records_dropped_revoked_total") ?? 0);
        }

        output.WriteLine($"The leaver stored {storedByLeaver} rows; the others read {emitted} records.");
        Assert.Equal(records - storedByLeaver, emitted);
        Assert.Equal(2, (await _cluster.ShowAsync(stayer)).Members.Count);
    }

    public void Dispose() => _cluster.Dispose();

    /// <summary>A seed and two nodes joining it; returns once all three are Up and each was assigned partitions.</summary>
    private async Task<List<ClusterNode>> StartThreeNodesAsync()
    {
        var seedPort = LoopbackCluster.FreePort(System.Net.IPAddress.Loopback);
        var nodes = new List<ClusterNode>();
        for (var i = 0; i < 3; i++)
        {
            var config = await _cluster.WriteConfigAsync($"node{i}", $$"""aero.cluster { port = {{(i == 0 ? seedPort : 0)}}, seed-nodes = ["127.0.0.1:{{seedPort}}"] }""");
            nodes.Add(await _cluster.StartNodeAsync(config));
        }

        await LoopbackCluster.AwaitAsync(async () => (await _cluster.ShowAsync(nodes[0])).Members.Count(m => m.Status == "Up") == 3, "3 Up members");
        // The partitions spread: each node's consumer was assigned some.
        foreach (var node in nodes)
        {
            await node.Process.WaitForOutputAsync("Assigned flights-raw", LoopbackCluster.Timeout);
        }

        return nodes;
    }

    // What a failure of the handover needs to be told apart: which partitions moved when, and from which offsets.
    private static string AssignmentLog(ClusterNode node) => string.Join('\n', node.Process.Output.Split('\n')
        .Where(line => line.Contains("Assigned ", StringComparison.Ordinal) || line.Contains("Revoked ", StringComparison.Ordinal)
            || line.Contains("Lost ", StringComparison.Ordinal) || line.Contains("commit", StringComparison.OrdinalIgnoreCase)));

    [GeneratedRegex(@"summary: .* stored=(?<stored>\d+) already_stored=(?<already>\d+)")]
    private static partial Regex Summary();
}
