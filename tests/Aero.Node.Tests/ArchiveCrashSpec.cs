using System.Globalization;
using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Node.Tests;

/// <summary>
/// issue 20 §1 Tests: a node keeping the raw archive, killed with SIGKILL at random moments mid-file and restarted each
/// time, against the embedded Kafka in its own process: at the end the published files' ranges cover every offset of
/// every partition exactly once, and no temporary file is visible.
/// </summary>
public sealed class ArchiveCrashSpec(ITestOutputHelper output) : IDisposable
{
    private const int Kills = 4;
    private const int Records = 60_000;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private readonly string _directory = Directory.CreateTempSubdirectory("aero-archive-crash-").FullName;

    [Fact]
    public async Task An_archiving_node_killed_mid_file_should_end_with_every_offset_in_exactly_one_file()
    {
        var config = await WriteConfigAsync();
        var bootstrapFile = Path.Combine(_directory, "bootstrap");
        using var kafka = AeroProcess.StartAero(_directory, null, "kafka", "serve", "--bootstrap-file", bootstrapFile);
        var bootstrap = await KafkaServeSpec.BootstrapFrom(bootstrapFile, kafka);
        await AeroCli.ProduceFlightsAsync(_directory, bootstrap, Records, Timeout);
        var incoming = Path.Combine(_directory, "archive", "_incoming");

        // Seeded, so a failure can be replayed with the same kill moments.
        var seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"kill seed {seed}");
        var (killedRunning, killedMidFile) = (0, 0);
        for (var kill = 0; kill < Kills; kill++)
        {
            // A killed node leaves its temporary files behind until the next one discards them: wait for a new one.
            var leftBehind = TemporaryFiles(incoming);
            using var node = AeroProcess.StartAero(_directory, null, "serve", "--bootstrap", bootstrap, "--config", config);
            await node.WaitForOutputAsync("Graph archive started", Timeout);
            await node.WaitForOutputAsync("Assigned flights-raw", Timeout);
            // Kill at a random moment once this node writes a file, not a random time after its start: on a loaded
            // machine a node can take seconds from its assignment to its first record.
            await WaitForFileBeingWrittenAsync(incoming, leftBehind, node);
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, 1_000)));
            if (node.Kill())
            {
                killedRunning++;
                killedMidFile += TemporaryFiles(incoming).Except(leftBehind).Any() ? 1 : 0;
            }

            output.WriteLine($"kill {kill + 1}: {(node.HasExited ? "killed" : "still running")}, {Covered()} records archived");
        }

        Assert.Equal(Kills, killedRunning);
        Assert.True(killedMidFile > 0, "no kill found a file being written");
        Assert.True(Covered() < Records, "the archive was complete before the last kill: the kills did not happen mid-archive");

        // The last node runs until the files hold every record, then drains on SIGTERM.
        using (var final = AeroProcess.StartAero(_directory, null, "serve", "--bootstrap", bootstrap, "--config", config))
        {
            var deadline = DateTime.UtcNow + Timeout;
            while (Covered() < Records && DateTime.UtcNow < deadline && !final.HasExited)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }

            final.Terminate();
            Assert.True(await final.ExitCodeAsync(Timeout) == 0, final.Output);
        }

        using var list = AeroProcess.StartAero(_directory, null, "archive", "list", "--json", "--config", config);
        var exitCode = await list.ExitCodeAsync(Timeout);
        Assert.True(exitCode == 0, list.Output);
        var files = Files(list.Output);
        foreach (var partition in files.GroupBy(f => f.Partition))
        {
            var ordered = partition.OrderBy(f => f.First).ToList();
            Assert.Equal(0, ordered[0].First);
            for (var i = 1; i < ordered.Count; i++)
            {
                Assert.Equal(ordered[i - 1].Last + 1, ordered[i].First);
            }
        }

        // No compaction or transactions here: a range holds a record for each of its offsets.
        Assert.All(files, f => Assert.Equal(f.Last - f.First + 1, f.Records));
        Assert.Equal(Records, files.Sum(f => f.Records));
        Assert.Empty(Directory.EnumerateFiles(incoming));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static HashSet<string> TemporaryFiles(string incoming) =>
        Directory.Exists(incoming) ? [.. Directory.EnumerateFiles(incoming)] : [];

    private static async Task WaitForFileBeingWrittenAsync(string incoming, HashSet<string> leftBehind, AeroProcess node)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!TemporaryFiles(incoming).Except(leftBehind).Any())
        {
            Assert.False(node.HasExited, node.Output);
            Assert.True(DateTime.UtcNow < deadline, $"no file was being written within {Timeout}: {node.Output}");
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }

    /// <summary>Records in published files, counted from their names (each range is whole here).</summary>
    private long Covered()
    {
        var root = Path.Combine(_directory, "archive");
        return !Directory.Exists(root) ? 0 : Directory.EnumerateFiles(root, "*.parquet", SearchOption.AllDirectories)
            .Select(path => Path.GetFileNameWithoutExtension(path).Split('-'))
            .Sum(parts => long.Parse(parts[^1], CultureInfo.InvariantCulture) - long.Parse(parts[^2], CultureInfo.InvariantCulture) + 1);
    }

    private static List<(int Partition, long First, long Last, long Records)> Files(string json)
    {
        using var document = JsonDocument.Parse(json[json.IndexOf('[', StringComparison.Ordinal)..]);
        return [.. document.RootElement.EnumerateArray().Select(f => (
            f.GetProperty("partition").GetInt32(), f.GetProperty("first_offset").GetInt64(), f.GetProperty("last_offset").GetInt64(), f.GetProperty("records").GetInt64()))];
    }

    /// <summary>The test overlay (free ports) with the archive on, in small files, so that kills land mid-file.</summary>
    private async Task<string> WriteConfigAsync()
    {
        var path = Path.Combine(_directory, "archive.conf");
        var overlay = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "hocon", "test.conf"));
        // A killed member leaves the group only when its session times out: keep that short, as the embedded defaults do.
        const string settings = """
            aero.kafka.consumer.kafka-clients { "session.timeout.ms" = 6000, "heartbeat.interval.ms" = 500 }
            aero.warehouse.kind = duckdb
            aero.archive { serve = on, directory = archive, max-file-bytes = 200 KiB, max-file-age = 3s, row-group-rows = 500 }
            """;
        await File.WriteAllTextAsync(path, overlay + "\n" + settings + "\n");
        return path;
    }
}
