using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit;

namespace Aero.Node.Tests;

/// <summary>
/// issue 13 §1.6: a load graph that fails on every start, here because its consumer is given a property librdkafka
/// does not know. SIGTERM during its back-off used to wait out the drain timeout, start the graph once more and exit
/// saying it did not drain; and the graph was restarted forever.
/// </summary>
public sealed partial class GraphFailureSpec : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly string _directory = Directory.CreateTempSubdirectory("aero-graph-failure-").FullName;

    [Fact]
    public async Task Sigterm_during_a_back_off_should_stop_promptly_without_starting_the_graph_again()
    {
        var config = await FailingConfigAsync("aero.graphs.backoff { min = 60s, max = 60s, max-restarts = 100 }");
        using var node = AeroProcess.StartAero(_directory, null, "serve", "--config", config);
        await node.WaitForOutputAsync("starting it again in", Timeout);

        var stopping = Stopwatch.StartNew();
        node.Terminate();
        var exit = await node.ExitCodeAsync(Timeout);

        Assert.True(exit == 0, node.Output);
        // Not the drain timeout (30 s) and more: nothing was in flight.
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(20), $"stopped after {stopping.Elapsed}:\n{node.Output}");
        Assert.Contains("Graph load stopped during its back-off", node.Output, StringComparison.Ordinal);
        Assert.Contains("had failed (restarted 0 times); its latest failure: No such configuration property: \"aero.no.such.property\"", Unwrapped(node.Output), StringComparison.Ordinal);
        Assert.DoesNotContain("did not drain", node.Output, StringComparison.Ordinal);
        Assert.Single(GraphStarted().Matches(node.Output));
    }

    [Fact]
    public async Task A_graph_failing_with_the_same_cause_should_stop_the_node_with_that_cause()
    {
        var config = await FailingConfigAsync("aero.graphs.backoff { min = 100ms, max = 200ms, max-restarts = 2 }");
        using var node = AeroProcess.StartAero(_directory, null, "serve", "--config", config);

        var exit = await node.ExitCodeAsync(Timeout);

        Assert.True(exit == 1, node.Output);
        Assert.Contains(
            "Graph load failed 3 times with the same cause within 00:10:00, so the node stopped: No such configuration property: \"aero.no.such.property\"",
            Unwrapped(node.Output),
            StringComparison.Ordinal);
        Assert.Equal(3, GraphStarted().Count(node.Output));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>The output as one line with single spaces: the console wraps long lines.</summary>
    private static string Unwrapped(string output) => string.Join(' ', output.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));

    private Task<string> FailingConfigAsync(string backoff) => TestOverlay.WriteAsync(
        Path.Combine(_directory, "failing.conf"),
        "aero.kafka.consumer.kafka-clients { \"aero.no.such.property\" = on }\n" + backoff);

    [GeneratedRegex("Graph load started")]
    private static partial Regex GraphStarted();
}
