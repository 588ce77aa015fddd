using Xunit;

namespace Aero.Node.Tests;

/// <summary><c>aero run</c> as a cluster member: one node forms its own cluster, hosts the coordinator and leaves gracefully.</summary>
public sealed class NodeClusterSpec : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly string _directory = Directory.CreateTempSubdirectory("aero-cluster-").FullName;

    [Fact]
    public async Task A_single_node_should_join_itself_host_the_coordinator_and_drain_before_leaving_on_sigterm()
    {
        using var node = AeroProcess.StartAero(_directory, null, "serve");
        await node.WaitForOutputAsync("Coordinator started at akka.tcp://aero@127.0.0.1:", Timeout);
        await node.WaitForOutputAsync("Graph load started (role ingest)", Timeout);

        node.Terminate();

        var exit = await node.ExitCodeAsync(Timeout);
        var output = node.Output;
        Assert.True(exit == 0, $"exit {exit}:\n{output}");
        var drained = output.IndexOf("Draining pipeline load", StringComparison.Ordinal);
        var leaving = output.IndexOf("as [Leaving]", StringComparison.Ordinal);
        Assert.True(drained >= 0 && leaving > drained, $"the graphs must drain before the node leaves:\n{output}");
        Assert.Contains("Exiting completed", output);
        Assert.Contains("summary: ", output);
    }

    [Fact]
    public async Task A_bad_cluster_setting_should_fail_at_start_naming_the_key()
    {
        var config = Path.Combine(_directory, "bad.conf");
        await File.WriteAllTextAsync(config, "aero.cluster.seed-nodes = [\"localhost\"]\n");

        using var node = AeroProcess.StartAero(_directory, null, "run", "--no-extract", "--config", config);

        Assert.Equal(1, await node.ExitCodeAsync(Timeout));
        Assert.Contains("aero.cluster.seed-nodes", node.Output);
        Assert.Contains("expected host:port", node.Output);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
