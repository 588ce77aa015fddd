using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using Xunit;

namespace Aero.Node.Tests;

public sealed partial class RunCommandSpec : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);
    private readonly string _directory = Directory.CreateTempSubdirectory("aero-run-").FullName;

    [Fact]
    public async Task Run_once_twice_on_the_embedded_defaults_should_leave_the_sample_in_the_warehouse_once()
    {
        var first = await RunAero(null, "run", "--once");
        var second = await RunAero(null, "run", "--once");

        Assert.Equal((5_000, 5_000, 0, 5_000), first);
        // A fresh embedded broker has a new cluster id, so it re-reads everything; the event ids keep it out.
        Assert.Equal((5_000, 0, 5_000, 5_000), second);
        Assert.Equal(5_000L, Scalar("SELECT count(DISTINCT event_id) FROM flights_raw"));
        Assert.Equal(2L, Scalar("SELECT count(DISTINCT cluster_id) FROM _aero_offsets"));
    }

    [Fact]
    public async Task Run_against_an_outside_kafka_should_resume_from_the_offsets_stored_for_that_cluster()
    {
        var bootstrapFile = Path.Combine(_directory, "bootstrap");
        using var serve = AeroProcess.StartAero(_directory, null, "kafka", "serve", "--bootstrap-file", bootstrapFile);
        var bootstrap = await KafkaServeSpec.BootstrapFrom(bootstrapFile, serve);

        var extracted = await RunAero(null, "run", "--once", "--bootstrap", bootstrap);
        var consumeOnly = await RunAero(new Dictionary<string, string> { ["KAFKA_BOOTSTRAP_SERVERS"] = bootstrap }, "run", "--once", "--no-extract");

        Assert.Equal((5_000, 5_000, 0, 5_000), extracted);
        // Same cluster: the consumer seeks to the stored offsets and finds nothing left to read.
        Assert.Equal((0, 0, 0, 5_000), consumeOnly);
        Assert.Equal(1L, Scalar("SELECT count(DISTINCT cluster_id) FROM _aero_offsets"));
        Assert.Equal(5_000L, Scalar("SELECT sum(next_offset)::BIGINT FROM _aero_offsets"));
    }

    [Fact]
    public async Task Run_without_once_should_drain_and_exit_cleanly_on_sigterm()
    {
        using var aero = AeroProcess.StartAero(_directory, null, "run");
        await aero.WaitForOutputAsync("Running; Ctrl+C or SIGTERM drains", RunTimeout);

        aero.Terminate();

        Assert.Equal(0, await aero.ExitCodeAsync(RunTimeout));
        Assert.Contains("Stopping: draining in-flight records.", aero.Output);
        var summary = SummaryLine().Match(aero.Output);
        Assert.True(summary.Success, aero.Output);
        // Whatever was stored is in the warehouse with its offsets, in the same transactions.
        Assert.Equal(long.Parse(summary.Groups["rows"].Value), Scalar("SELECT coalesce(sum(next_offset), 0)::BIGINT FROM _aero_offsets"));
    }

    [Fact]
    public async Task A_bad_configuration_value_should_fail_at_start_naming_the_key()
    {
        var config = Path.Combine(_directory, "bad.conf");
        await File.WriteAllTextAsync(config, "aero.kafka.consumer.offset-out-of-range = sometimes\n" + await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "hocon", "aero.conf")));

        using var aero = AeroProcess.StartAero(_directory, null, "run", "--once", "--config", config);

        Assert.Equal(1, await aero.ExitCodeAsync(RunTimeout));
        Assert.Contains("aero.kafka.consumer.offset-out-of-range", aero.Output);
        Assert.DoesNotContain("   at ", aero.Output);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<(long Produced, long Stored, long AlreadyStored, long Rows)> RunAero(IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        using var aero = AeroProcess.StartAero(_directory, environment, arguments);
        var exitCode = await aero.ExitCodeAsync(RunTimeout);
        Assert.True(exitCode == 0, $"aero {string.Join(' ', arguments)} exited with {exitCode}:\n{aero.Output}");
        var summary = SummaryLine().Match(aero.Output);
        Assert.True(summary.Success, $"no summary line in:\n{aero.Output}");
        return (long.Parse(summary.Groups["produced"].Value), long.Parse(summary.Groups["stored"].Value),
            long.Parse(summary.Groups["already"].Value), long.Parse(summary.Groups["rows"].Value));
    }

    private long Scalar(string sql)
    {
        using var connection = new DuckDBConnection($"Data Source={Path.Combine(_directory, ".aero", "aero.duckdb")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"summary: produced=(?<produced>\d+) extract_dead_lettered=\d+ stored=(?<stored>\d+) already_stored=(?<already>\d+) dead_lettered=\d+ rows_in_warehouse=(?<rows>\d+)")]
    private static partial Regex SummaryLine();
}
