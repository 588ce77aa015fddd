using System.Text.Json;
using DuckDB.NET.Data;
using Xunit;

namespace Aero.Node.Tests;

/// <summary>
/// issue 20 §1.4-§1.5: <c>aero run --once --archive</c> archives every record it loads, DuckDB reads the archive as
/// the rows of <c>flights_raw</c>, and <c>aero archive replay</c> into a fresh Kafka rebuilds a fresh warehouse with
/// every row once, under the same event ids.
/// </summary>
public sealed class ArchiveReplaySpec : IDisposable
{
    private const int SampleRecords = 5_000;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private readonly string _directory = Directory.CreateTempSubdirectory("aero-archive-replay-").FullName;

    [Fact]
    public async Task A_run_with_archive_should_archive_every_record_and_a_replay_should_rebuild_a_fresh_warehouse()
    {
        var original = Path.Combine(_directory, ".aero", "aero.duckdb");
        var fresh = Path.Combine(_directory, "fresh.duckdb");
        using (var kafka = AeroProcess.StartAero(_directory, null, "kafka", "serve", "--bootstrap-file", Path.Combine(_directory, "bootstrap")))
        {
            var bootstrap = await KafkaServeSpec.BootstrapFrom(Path.Combine(_directory, "bootstrap"), kafka);
            await RunAsync("run", "--once", "--archive", "--bootstrap", bootstrap);
        }

        using var list = AeroProcess.StartAero(_directory, null, "archive", "list", "--json");
        Assert.True(await list.ExitCodeAsync(Timeout) == 0, list.Output);
        using (var files = JsonDocument.Parse(list.Output[list.Output.IndexOf('[', StringComparison.Ordinal)..]))
        {
            Assert.Equal(SampleRecords, files.RootElement.EnumerateArray().Sum(f => f.GetProperty("records").GetInt64()));
        }

        var columns = "event_id, flight_id, \"timestamp\", origin, destination, delay, distance, kafka_partition, kafka_offset";
        Assert.Equal(
            [SampleRecords, 0L, 0L],
            Numbers(original,
                $"SELECT (SELECT count(*) FROM flights_raw), " +
                $"(SELECT count(*) FROM (SELECT {columns} FROM read_parquet('{_directory}/.aero/archive/*/*.parquet', hive_partitioning = true) EXCEPT SELECT {columns} FROM flights_raw)), " +
                $"(SELECT count(*) FROM (SELECT {columns} FROM flights_raw EXCEPT SELECT {columns} FROM read_parquet('{_directory}/.aero/archive/*/*.parquet', hive_partitioning = true)))"));

        // The original Kafka is gone: a fresh one, the archive replayed into it, and a fresh warehouse loaded from it.
        using (var kafka = AeroProcess.StartAero(_directory, null, "kafka", "serve", "--bootstrap-file", Path.Combine(_directory, "bootstrap-2")))
        {
            var bootstrap = await KafkaServeSpec.BootstrapFrom(Path.Combine(_directory, "bootstrap-2"), kafka);
            var replay = await RunAsync("archive", "replay", "--bootstrap", bootstrap);
            Assert.Contains($"summary: replayed={SampleRecords} ", replay, StringComparison.Ordinal);
            await RunAsync("run", "--once", "--no-extract", "--bootstrap", bootstrap, "--warehouse", fresh);
        }

        Assert.Equal(
            [SampleRecords, SampleRecords, SampleRecords],
            Numbers(fresh, $"ATTACH '{original}' AS original (READ_ONLY); " +
                "SELECT count(*), count(DISTINCT event_id), (SELECT count(*) FROM flights_raw f JOIN original.flights_raw o USING (event_id)) FROM flights_raw"));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<string> RunAsync(params string[] arguments)
    {
        using var aero = AeroProcess.StartAero(_directory, null, arguments);
        var exitCode = await aero.ExitCodeAsync(Timeout);
        Assert.True(exitCode == 0, $"aero {string.Join(' ', arguments)} exited with {exitCode}:\n{aero.Output}");
        return aero.Output;
    }

    private static long[] Numbers(string database, string sql)
    {
        using var connection = new DuckDBConnection($"Data Source={database}");
        connection.Open();
        var statements = sql.Split("; ", 2);
        if (statements.Length == 2)
        {
            using var attach = connection.CreateCommand();
            attach.CommandText = statements[0];
            attach.ExecuteNonQuery();
        }

        using var command = connection.CreateCommand();
        command.CommandText = statements[^1];
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        return [.. Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToInt64(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))];
    }
}
