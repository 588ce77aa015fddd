using Npgsql;
using Xunit;

namespace Aero.Node.Tests;

/// <summary>
/// Issue 18 §1 (the flow), end to end: <c>aero serve</c> on the embedded Kafka with a PostgreSQL warehouse and a flow
/// over a folder. Each new file is extracted once by its content, loaded, and only then are the flow's jobs run.
/// </summary>
public sealed class FlowRunSpec : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private readonly string _directory = Directory.CreateTempSubdirectory("aero-flow-").FullName;
    private readonly string _schema = "aero_flow_" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _postgres = Preconditions.PostgresConnection;

    private string Incoming => Path.Combine(_directory, "incoming");

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_flow_should_load_each_new_file_once_and_run_its_jobs_after_the_load_stored_it()
    {
        await Preconditions.PostgresAsync();
        Directory.CreateDirectory(Incoming);
        var config = await TestOverlay.WriteAsync(Path.Combine(_directory, "flow.conf"), $$"""
            aero.warehouse { kind = postgres, postgres.schema = {{_schema}} }
            aero.jobs {
              tick-interval = 200ms
              lease = 10s
              definitions.incoming {
                engine = flow
                schedule = "every 1s"
                flow { watch = "{{Incoming}}", pattern = "*.ndjson", settle = 0s }
                then = [delays-by-month, airline-ranking]
                retries = 0
              }
            }
            """);
        using var node = AeroProcess.StartAero(_directory, new Dictionary<string, string> { ["AERO_POSTGRES_CONNECTION"] = _postgres }, "serve", "--config", config);
        await node.WaitForOutputAsync("Admin endpoint", Timeout);

        await DropAsync("day-1.ndjson", Flights("A", 200));
        var first = await FlowRunAsync(node, records: 200);

        Assert.Equal(200L, await ScalarAsync("SELECT count(*) FROM flights_raw"));
        Assert.Equal(200L, await ScalarAsync("SELECT sum(flights) FROM job_delays_by_month WHERE period = 'all'"));
        // Each job ran within the flow's run, after the load stored the files: their runs began after it and ended before it.
        foreach (var job in new[] { "delays-by-month", "airline-ranking" })
        {
            Assert.Equal(1L, await ScalarAsync(
                $"SELECT count(*) FROM _aero_jobs WHERE job = '{job}' AND state = 'succeeded' AND rows_written > 0 AND started_at >= '{first.Started}' AND ended_at <= '{first.Ended}'"));
        }

        // The same content again under another name is not extracted; a new file is, alone.
        await DropAsync("day-1-resent.ndjson", Flights("A", 200));
        await DropAsync("day-2.ndjson", Flights("B", 50));
        await FlowRunAsync(node, records: 50);

        Assert.Equal(250L, await ScalarAsync("SELECT count(*) FROM flights_raw"));
        Assert.Equal(250L, await ScalarAsync("SELECT sum(flights) FROM job_delays_by_month WHERE period = 'all'"));
        Assert.Equal(2L, await ScalarAsync("SELECT count(*) FROM _aero_flow_files WHERE flow = 'incoming'"));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM _aero_jobs WHERE state = 'failed'"));
    }

    /// <summary>Waits for the flow's succeeded run that extracted <paramref name="records"/>; a failed flow run fails the spec with its error.</summary>
    private async Task<(string Started, string Ended)> FlowRunAsync(AeroProcess node, long records)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            await using var connection = await OpenAsync();
            await using (var failed = new NpgsqlCommand("SELECT run_id, error FROM _aero_jobs WHERE job = 'incoming' AND state IN ('failed', 'retrying')", connection))
            await using (var reader = await failed.ExecuteReaderAsync())
            {
                Assert.False(await reader.ReadAsync(), reader.HasRows ? $"flow run {reader.GetString(0)}: {reader.GetString(1)}\n{node.Output}" : "");
            }

            await using var run = new NpgsqlCommand($"SELECT started_at, ended_at FROM _aero_jobs WHERE job = 'incoming' AND state = 'succeeded' AND rows_written = {records}", connection);
            await using (var reader = await run.ExecuteReaderAsync())
            {
                if (await reader.ReadAsync())
                {
                    return (reader.GetString(0), reader.GetString(1));
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"No flow run extracted {records} records within {Timeout}:\n{node.Output}");
            await Task.Delay(200);
        }
    }

    /// <summary>Writes a file beside the folder and moves it in, as a file should arrive: whole (settle is 0 here).</summary>
    private async Task DropAsync(string name, IEnumerable<string> lines)
    {
        var staged = Path.Combine(_directory, name);
        await File.WriteAllLinesAsync(staged, lines);
        File.Move(staged, Path.Combine(Incoming, name));
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is decimal sum ? (long)sum : value;
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(_postgres);
        await connection.OpenAsync();
        await using var path = new NpgsqlCommand($"SET search_path TO {_schema}", connection);
        await path.ExecuteNonQueryAsync();
        return connection;
    }

    private static IEnumerable<string> Flights(string prefix, int count) => Enumerable.Range(0, count).Select(i =>
        $$"""{"flight_id":"{{prefix}}{{i}}","timestamp":"2001-01-{{1 + (i % 28):00}}T06:55:00Z","airline":"AA","origin":"JFK","destination":"LAX","delay":{{i % 40}}}""");

    public async Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        await using var connection = new NpgsqlConnection(_postgres);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
