using System.Globalization;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Node.Tests;

/// <summary>
/// A loading node killed with SIGKILL at random moments, and restarted each time, against the embedded Kafka in its
/// own process: at the end every record is stored exactly once. On DuckDB (offsets in the rows' transaction) and on
/// the fake BigQuery in its own process, in load mode (offsets from the rows themselves, deterministic job ids).
/// </summary>
public sealed partial class CrashRecoverySpec(ITestOutputHelper output) : IDisposable
{
    private const int Kills = 5;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    // The final run ends itself with an error once the warehouse's offsets stop moving (aero.run.once-stall-timeout),
    // so its bound here is only a safety net: a slow machine makes the run slower, not wrong.
    private static readonly TimeSpan FinalRunBound = TimeSpan.FromMinutes(15);
    private readonly string _directory = Directory.CreateTempSubdirectory("aero-crash-").FullName;

    [Theory]
    [InlineData("duckdb", 200_000)]
    [InlineData("bigquery", 30_000)]
    public async Task A_node_killed_at_random_moments_should_end_with_every_record_stored_exactly_once(string warehouse, int records)
    {
        using var fakeBigQuery = warehouse == "bigquery" ? StartFakeBigQuery() : null;
        var config = await WriteConfigAsync(warehouse, fakeBigQuery is null ? null : await EndpointOf(fakeBigQuery));
        var bootstrapFile = Path.Combine(_directory, "bootstrap");
        using var kafka = AeroProcess.StartAero(_directory, null, "kafka", "serve", "--bootstrap-file", bootstrapFile);
        var bootstrap = await KafkaServeSpec.BootstrapFrom(bootstrapFile, kafka);
        await AeroCli.ProduceFlightsAsync(_directory, bootstrap, records, Timeout);

        // Seeded, so a failure can be replayed with the same kill moments.
        var seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"kill seed {seed}");
        var killedRunning = 0;
        for (var kill = 0; kill < Kills; kill++)
        {
            using var node = AeroProcess.StartAero(_directory, null, "serve", "--bootstrap", bootstrap, "--config", config);
            // A random moment once the node is loading: after the group assigned it the partitions.
            await node.WaitForOutputAsync("Assigned flights-raw", Timeout);
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, 2_000)));
            if (node.Kill())
            {
                killedRunning++;
            }

            output.WriteLine($"kill {kill + 1}: {(node.HasExited ? "killed" : "still running")}\n{node.Output}");
        }

        using var final = AeroProcess.StartAero(_directory, null, "run", "--once", "--no-extract", "--bootstrap", bootstrap, "--config", config);
        var exitCode = await final.ExitCodeAsync(FinalRunBound);
        Assert.True(exitCode == 0, final.Output);
        var summary = SummaryLine().Match(final.Output);
        Assert.True(summary.Success, final.Output);

        Assert.Equal(Kills, killedRunning);
        // Every Kafka position once, in the table itself (BigQuery's flights_raw has no unique key to lean on).
        var stored = await AeroCli.QueryNumbersAsync(_directory, config, "SELECT count(*), count(DISTINCT kafka_topic || '-' || CAST(kafka_partition AS STRING) || '-' || CAST(kafka_offset AS STRING)) FROM flights_raw", Timeout);
        Assert.Equal(new long[] { records, records }, stored);
        var ingestedBefore = await AeroCli.QueryNumbersAsync(_directory, config, "SELECT count(*) FROM flights_raw WHERE ingested_at < (SELECT min(ingested_at) FROM flights_raw) + INTERVAL 1 SECOND", Timeout);
        Assert.True(ingestedBefore[0] < records, "one node stored everything at once: the kills did not happen mid-load");
        if (warehouse == "duckdb")
        {
            // The final run starts at the stored offsets: had rows been stored without their offsets, it would find them again.
            Assert.Equal("0", summary.Groups["already"].Value);
            Assert.Equal(new long[] { records }, await AeroCli.QueryNumbersAsync(_directory, config, "SELECT CAST(sum(next_offset) AS BIGINT) FROM _aero_offsets", Timeout));
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static AeroProcess StartFakeBigQuery() =>
        AeroProcess.Start("dotnet", AppContext.BaseDirectory, null, Path.Combine(AppContext.BaseDirectory, "Aero.FakeBigQuery.dll"), "--port", "0");

    private static async Task<string> EndpointOf(AeroProcess fake)
    {
        const string listening = "Fake BigQuery listening on ";
        await fake.WaitForOutputAsync(listening, Timeout);
        var line = fake.Output.Split('\n').First(l => l.StartsWith(listening, StringComparison.Ordinal));
        return line[listening.Length..].Trim();
    }

    /// <summary>The test overlay (free ports) plus the warehouse under test; BigQuery loads without waiting between jobs.</summary>
    private async Task<string> WriteConfigAsync(string warehouse, string? bigQueryEndpoint)
    {
        var path = Path.Combine(_directory, $"{warehouse}.conf");
        var overlay = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "hocon", "test.conf"));
        // A killed member leaves the group only when its session times out: keep that short, as the embedded defaults do.
        const string kafka = """aero.kafka.consumer.kafka-clients { "session.timeout.ms" = 6000, "heartbeat.interval.ms" = 500 }""";
        var selected = bigQueryEndpoint is null
            ? "aero.warehouse.kind = duckdb"
            : $$"""
              aero.warehouse {
                kind = bigquery
                bigquery { endpoint = "{{bigQueryEndpoint}}", project-id = demo, dataset = aero, access-token = fake-token, mode = load, load-interval = 0s, job-poll-interval = 50ms }
              }
              # One load job per batch and partition: bigger batches, fewer jobs.
              aero.load.batch-size = 5000
              """;
        await File.WriteAllTextAsync(path, overlay + "\n" + kafka + "\n" + selected + "\n");
        return path;
    }

    [GeneratedRegex(@"summary: produced=\d+ extract_dead_lettered=\d+ stored=\d+ already_stored=(?<already>\d+) dead_lettered=\d+ rows_in_warehouse=\d+")]
    private static partial Regex SummaryLine();
}
