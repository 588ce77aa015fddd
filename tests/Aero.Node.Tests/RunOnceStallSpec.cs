using Xunit;

namespace Aero.Node.Tests;

/// <summary>issue 13 §1.1: <c>aero run --once</c> whose warehouse cannot reach the log end ends with an error, never waits silently.</summary>
public sealed class RunOnceStallSpec : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("aero-once-stall-").FullName;

    [Fact]
    public async Task Run_once_should_fail_naming_the_partitions_behind_when_the_stored_offsets_stop_moving()
    {
        // The load's consumer cannot be built, so nothing is ever stored; different restarts would keep the node up.
        var config = await TestOverlay.WriteAsync(Path.Combine(_directory, "stalling.conf"), """
            aero.kafka.consumer.kafka-clients { "aero.no.such.property" = on }
            aero.graphs.backoff { min = 1s, max = 1s, max-restarts = 1000 }
            aero.run { once-stall-timeout = 5s, once-progress-interval = 1s }
            """);
        using var run = AeroProcess.StartAero(_directory, null, "run", "--once", "--config", config);

        var exit = await run.ExitCodeAsync(TimeSpan.FromMinutes(2));

        Assert.True(exit == 1, run.Output);
        var output = string.Join(' ', run.Output.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Loading: 0 of 5,000 offsets; this node stored 0 rows", output, StringComparison.Ordinal);
        Assert.Contains("The warehouse's offsets have not moved for 00:00:05 (aero.run.once-stall-timeout): they reached 0 of 5,000. Behind: partition 0 with nothing stored", output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
