using Xunit;

namespace Aero.Node.Tests.Admin;

/// <summary><c>aero cluster leave</c> against a node of its own: the node drains, leaves and exits cleanly.</summary>
public sealed class ClusterLeaveSpec : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("aero-leave-").FullName;

    [Fact]
    public async Task Cluster_leave_should_drain_the_node_and_let_it_exit_cleanly()
    {
        using var node = AeroProcess.StartAero(_directory, null, "serve");
        var endpoint = await AdminNodeFixture.EndpointOnceLoadStartedAsync(node);

        using var leave = AeroProcess.StartAero(_directory, null, "cluster", "leave", "--node", endpoint);
        var leaveExit = await leave.ExitCodeAsync(AdminNodeFixture.Timeout);
        var nodeExit = await node.ExitCodeAsync(AdminNodeFixture.Timeout);

        Assert.True(leaveExit == 0, leave.Output);
        Assert.Contains("to leave the cluster.", leave.Output);
        Assert.True(nodeExit == 0, node.Output);
        var drained = node.Output.IndexOf("Draining pipeline load", StringComparison.Ordinal);
        Assert.True(drained >= 0 && drained < node.Output.IndexOf("The node left the cluster as asked", StringComparison.Ordinal), node.Output);
        Assert.Contains("summary: ", node.Output);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
