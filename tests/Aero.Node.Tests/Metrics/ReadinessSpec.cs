using System.Net;
using System.Text.Json;
using Aero.Node.Tests.Admin;
using Xunit;

namespace Aero.Node.Tests.Metrics;

/// <summary><c>/healthz/ready</c> of a node that cannot join its cluster: alive, but never ready.</summary>
public sealed class ReadinessSpec : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("aero-ready-").FullName;

    [Fact]
    public async Task A_node_that_has_not_joined_should_be_live_but_not_ready_saying_why()
    {
        var config = Path.Combine(_directory, "unreachable-seed.conf");
        // Port 1 on loopback: nothing answers, so the node keeps trying to join and never becomes Up.
        await File.WriteAllTextAsync(config, "aero.cluster.seed-nodes = [\"127.0.0.1:1\"]\naero.admin.port = 0\n");
        using var node = AeroProcess.StartAero(_directory, null, "serve", "--config", config);
        await node.WaitForOutputAsync("Admin endpoint", AdminNodeFixture.Timeout);
        using var http = new HttpClient { BaseAddress = new Uri($"http://{AdminNodeFixture.AdminEndpoint(node.Output)}/") };

        using var live = await http.GetAsync("healthz/live");
        using var ready = await http.GetAsync("healthz/ready");
        using var status = AeroProcess.StartAero(_directory, null, "pipeline", "status", "--node", AdminNodeFixture.AdminEndpoint(node.Output), "--json");
        Assert.Equal(0, await status.ExitCodeAsync(AdminNodeFixture.Timeout));

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("not ready", body.GetProperty("status").GetString());
        Assert.Equal("the node is not a cluster member (not joined yet, or removed)", body.GetProperty("reason").GetString());
        Assert.Contains("\"state\": \"Waiting\"", status.Output);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
