using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Node.Tests;

/// <summary>
/// A loading node killed with SIGKILL at random moments, and restarted each time, against the embedded Kafka in its
/// own process: at the end every record is stored exactly once.
/// </summary>
public sealed partial class CrashRecoverySpec(ITestOutputHelper output) : IDisposable
{
    private const int Records = 200_000;
    private const int Kills = 5;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private readonly string _directory = Directory.CreateTempSubdirectory("aero-crash-").FullName;

    [Fact]
    public async Task A_node_killed_at_random_moments_should_end_with_every_record_stored_exactly_once()
    {
        var bootstrapFile = Path.Combine(_directory, "bootstrap");
        using var kafka = AeroProcess.StartAero(_directory, null, "kafka", "serve", "--bootstrap-file", bootstrapFile);
        var bootstrap = await KafkaServeSpec.BootstrapFrom(bootstrapFile, kafka);
        await ProduceAsync(bootstrap);

        // Seeded, so a failure can be replayed with the same kill moments.
        var seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"kill seed {seed}");
        var killedRunning = 0;
        for (var kill = 0; kill < Kills; kill++)
        {
            using var node = AeroProcess.StartAero(_directory, null, "run", "--no-extract", "--bootstrap", bootstrap);
            await node.WaitForOutputAsync("Running; Ctrl+C or SIGTERM drains", Timeout);
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, 1_500)));
            if (node.Kill())
            {
                killedRunning++;
            }

            output.WriteLine($"kill {kill + 1}: {(node.HasExited ? "killed" : "still running")}\n{node.Output}");
        }

        using var final = AeroProcess.StartAero(_directory, null, "run", "--once", "--no-extract", "--bootstrap", bootstrap);
        var exitCode = await final.ExitCodeAsync(Timeout);
        Assert.True(exitCode == 0, final.Output);
        var summary = SummaryLine().Match(final.Output);
        Assert.True(summary.Success, final.Output);

        Assert.Equal(Kills, killedRunning);
        // The final run starts at the stored offsets: had rows been stored without their offsets, it would find them again.
        Assert.Equal("0", summary.Groups["already"].Value);
        Assert.Equal(Records, Scalar("SELECT count(*) FROM flights_raw"));
        Assert.Equal(Records, Scalar("SELECT count(DISTINCT (kafka_topic, kafka_partition, kafka_offset)) FROM flights_raw"));
        Assert.Equal(Records, Scalar("SELECT sum(next_offset)::BIGINT FROM _aero_offsets"));
        Assert.True(Scalar("SELECT count(*) FROM flights_raw WHERE ingested_at < (SELECT max(ingested_at) FROM flights_raw) - INTERVAL 1 SECOND") > 0,
            "the killed nodes stored nothing: the kills did not happen mid-load");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task ProduceAsync(string bootstrap)
    {
        var input = Path.Combine(_directory, "flights.ndjson");
        var lines = new StringBuilder();
        string[] airports = ["LAX", "SFO", "JFK", "ORD", "ATL", "SEA"];
        for (var i = 0; i < Records; i++)
        {
            lines.Append(CultureInfo.InvariantCulture,
                $"{{\"date\":\"2001/{1 + i % 12:00}/{1 + i % 28:00} {i % 24:00}:{i % 60:00}\",\"delay\":{i % 120 - 20},\"distance\":{100 + i % 2000},\"origin\":\"{airports[i % 6]}\",\"destination\":\"{airports[(i + 1) % 6]}\"}}\n");
        }

        await File.WriteAllTextAsync(input, lines.ToString());
        using var produce = AeroProcess.StartAero(_directory, null, "produce", "--input", input, "--bootstrap", bootstrap);
        Assert.True(await produce.ExitCodeAsync(Timeout) == 0, produce.Output);
    }

    private long Scalar(string sql)
    {
        using var connection = new DuckDBConnection($"Data Source={Path.Combine(_directory, ".aero", "aero.duckdb")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"summary: produced=\d+ extract_dead_lettered=\d+ stored=\d+ already_stored=(?<already>\d+) dead_lettered=\d+ rows_in_warehouse=\d+")]
    private static partial Regex SummaryLine();
}
