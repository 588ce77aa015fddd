using Aero.Node.Tests.Metrics;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Node.Tests.Cluster;

/// <summary>
/// issue 13 §2 and §1.1: <c>aero run --once</c> in a consumer group shared with another node. The other node loads some
/// partitions, so counting only its own batches, --once never finished; it must finish once the warehouse's offsets
/// (whoever wrote them) reach the log end.
/// </summary>
public sealed class RunOnceInGroupSpec(ITestOutputHelper output) : IDisposable
{
    private readonly LoopbackCluster _cluster = new(output);

    [Fact]
    public async Task Run_once_should_finish_when_the_warehouse_holds_every_record_whichever_node_stored_it()
    {
        await _cluster.StartKafkaAsync();
        var seedPort = LoopbackCluster.FreePort(System.Net.IPAddress.Loopback);
        var seeds = $$"""aero.cluster.seed-nodes = ["127.0.0.1:{{seedPort}}"]""";
        var other = await _cluster.StartNodeAsync(await _cluster.WriteConfigAsync("other", $"aero.cluster.port = {seedPort}\n{seeds}"));
        await other.Process.WaitForOutputAsync("Graph load started", LoopbackCluster.Timeout);

        // Extracts the bundled sample (5,000 flights) into the topic the other node already consumes.
        using var once = AeroProcess.StartAero(_cluster.Directory, null, "run", "--once", "--bootstrap", _cluster.Bootstrap, "--config", await _cluster.WriteConfigAsync("once", seeds));
        var exit = await once.ExitCodeAsync(LoopbackCluster.Timeout);
        output.WriteLine(once.Output);

        Assert.True(exit == 0, once.Output);
        Assert.Contains("summary: produced=5000 ", once.Output, StringComparison.Ordinal);
        Assert.Equal(new long[] { 5_000, 5_000 }, await _cluster.QueryAsync(other, "SELECT count(*), count(DISTINCT event_id) FROM flights_raw"));
        // The other node really loaded part of it: otherwise this spec would not test the shared group.
        Assert.True(PrometheusText.Value(await LoopbackCluster.MetricsAsync(other), "aero_warehouse_rows_stored_total") > 0, other.Process.Output);
    }

    public void Dispose() => _cluster.Dispose();
}
