using System.Globalization;
using System.Text.Json;
using Npgsql;
using Xunit;

namespace Aero.Node.Tests;

/// <summary><c>aero query</c> on what <c>aero run --once</c> loaded from the bundled sample, checked against the sample itself.</summary>
public sealed class QueryCommandSpec : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly string _directory = Directory.CreateTempSubdirectory("aero-query-").FullName;
    private readonly string _schema = "aero_query_" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _postgres = Preconditions.PostgresConnection;

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Query_should_print_the_loaded_rows_as_a_table_csv_and_json()
    {
        await Aero(0, "run", "--once");
        var (first, second, earliest) = Sample();

        var table = await Aero(0, "query", "SELECT origin, destination, delay, distance, \"timestamp\" FROM flights_raw WHERE source_position = 0");
        Assert.Matches($@"│ {first.Origin} +│ {first.Destination} +│ {first.Delay} +│ {first.Distance} +│ {first.Time} +│", table);
        Assert.Contains("1 row(s)", table);

        var csv = await Aero(0, "query", "--format", "csv", "--warehouse-kind", "duckdb",
            "SELECT count(*) AS flights, count(DISTINCT event_id) AS events, 'a,\"b\"' AS quoted, NULL AS nothing, min(\"timestamp\") AS first FROM flights_raw");
        // Nothing but the CSV on stdout: a header, then the record, quoted where RFC 4180 asks.
        Assert.Equal(["flights,events,quoted,nothing,first", $"5000,5000,\"a,\"\"b\"\"\",,{earliest}"], Lines(csv));

        var json = await Aero(0, "query", "--format", "json", "SELECT origin, delay, \"timestamp\", source_position, raw FROM flights_raw WHERE source_position < 2 ORDER BY source_position");
        var rows = JsonDocument.Parse(json).RootElement.EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal((first.Origin, first.Delay, first.Time, 0L), Row(rows[0]));
        Assert.Equal((second.Origin, second.Delay, second.Time, 1L), Row(rows[1]));
        Assert.Contains($"\"origin\":\"{first.Origin}\"", rows[0].GetProperty("raw").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_should_read_a_postgres_warehouse_with_utc_timestamps_and_nested_json()
    {
        await Preconditions.PostgresAsync();
        // The test overlay's free ports: a node on the default admin port 9110 must not fail this spec (issue 13 §3).
        var config = await TestOverlay.WriteAsync(Path.Combine(_directory, "postgres.conf"), $"aero.warehouse {{ kind = postgres, postgres.schema = {_schema} }}");
        var environment = new Dictionary<string, string> { ["AERO_POSTGRES_CONNECTION"] = _postgres };

        await Aero(0, environment, "run", "--once", "--config", config);
        var (first, _, _) = Sample();

        var json = await Aero(0, environment, "query", "--config", config, "--warehouse-kind", "postgres", "--format", "json",
            "SELECT origin, delay, \"timestamp\", source_position, raw, (SELECT count(*) FROM flights_raw) AS flights FROM flights_raw WHERE source_position = 0");

        var row = JsonDocument.Parse(json).RootElement.EnumerateArray().Single();
        // timestamptz: PostgreSQL says the time is UTC, so the output does too.
        Assert.Equal((first.Origin, first.Delay, first.Time + "Z", 0L), Row(row));
        Assert.Equal(5000, row.GetProperty("flights").GetInt64());
        Assert.Equal(first.Origin, row.GetProperty("raw").GetProperty("origin").GetString());
    }

    [Fact]
    public async Task Bad_sql_should_fail_with_the_warehouse_message_on_stderr_and_no_stack_trace()
    {
        var output = await Aero(1, "query", "SELECT * FROM no_such_table");

        Assert.StartsWith("aero query: ", output, StringComparison.Ordinal);
        Assert.Contains("no_such_table", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        try
        {
            await using var connection = new NpgsqlConnection(_postgres);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
            // The PostgreSQL case has failed already, saying why; there is nothing to clean up.
        }
    }

    private static (string Origin, double Delay, string Timestamp, long SourcePosition) Row(JsonElement row) =>
        (row.GetProperty("origin").GetString()!, row.GetProperty("delay").GetDouble(), row.GetProperty("timestamp").GetString()!, row.GetProperty("source_position").GetInt64());

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    /// <summary>The sample's first two flights and its earliest departure, as aero query prints times (DuckDB: no zone).</summary>
    private static (SampleFlight First, SampleFlight Second, string Earliest) Sample()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "sample", "flights-5k.json")));
        var flights = sample.RootElement.EnumerateArray()
            .Select(f => new SampleFlight(
                f.GetProperty("origin").GetString()!,
                f.GetProperty("destination").GetString()!,
                f.GetProperty("delay").GetDouble(),
                f.GetProperty("distance").GetDouble(),
                DateTime.ParseExact(f.GetProperty("date").GetString()!, "yyyy/MM/dd HH:mm", CultureInfo.InvariantCulture).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)))
            .ToList();
        return (flights[0], flights[1], flights.Min(f => f.Time)!);
    }

    private Task<string> Aero(int expectedExitCode, params string[] arguments) => Aero(expectedExitCode, null, arguments);

    private async Task<string> Aero(int expectedExitCode, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        using var aero = AeroProcess.StartAero(_directory, environment, arguments);
        var exitCode = await aero.ExitCodeAsync(Timeout);
        Assert.True(exitCode == expectedExitCode, $"aero {string.Join(' ', arguments)} exited with {exitCode}:\n{aero.Output}");
        return aero.Output;
    }

    private sealed record SampleFlight(string Origin, string Destination, double Delay, double Distance, string Time);
}
