using System.Text.Json;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using Xunit;

namespace Aero.Node.Tests;

/// <summary>The extract side of <c>aero run</c>, end to end (issue 13).</summary>
public sealed partial class RunExtractSpec : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);
    private readonly string _directory = Directory.CreateTempSubdirectory("aero-run-names-").FullName;

    // Issue 13 §1.2: daily exports that reuse a file name must all reach the warehouse.
    [Fact]
    public async Task Two_files_of_one_name_with_different_flights_should_both_be_stored()
    {
        using var sample = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "data", "sample", "flights-5k.json")));
        var flights = sample.RootElement.EnumerateArray().Take(200).Select(e => e.GetRawText()).ToArray();
        var a = Write(Path.Combine("a", "flights.json"), flights[..100]);
        var b = Write(Path.Combine("b", "flights.json"), flights[100..]);

        var first = await RunOnce(a);
        var second = await RunOnce(b);
        var again = await RunOnce(b);

        Assert.Equal((100, 100, 0, 100), first);
        Assert.Equal((100, 100, 0, 200), second);
        // The same content extracted again is the same events.
        Assert.Equal((100, 0, 100, 200), again);
    }

    // Issue 13 §1.4: a run that rejects more than aero.extract.max-rejected-share of its records says so and fails.
    [Fact]
    public async Task Run_should_exit_non_zero_when_more_than_the_allowed_share_of_records_is_rejected()
    {
        var input = Path.Combine(_directory, "mostly-bad.csv");
        await File.WriteAllLinesAsync(input, ["date,delay,distance,origin,destination", .. Enumerable.Range(0, 8).Select(i => $"2001/01/01 06:{10 + i},5,300,SFO,JFK"), "2001/01/01 07:00,abc,300,SFO,JFK", "2001/01/01 07:01,5,300,sfo,JFK"]);

        using var aero = AeroProcess.StartAero(_directory, null, "run", "--once", "--input", input);

        Assert.Equal(1, await aero.ExitCodeAsync(RunTimeout));
        Assert.Contains("2 of 10 records (20.0 %) were rejected", aero.Output, StringComparison.Ordinal);
        Assert.Contains("aero.extract.max-rejected-share = 0.1", aero.Output, StringComparison.Ordinal);
    }

    // Issue 13 §1.4: a name is stored in airline_name, a code stays in airline; issue 15 §2: a known name gets its code.
    [Fact]
    public async Task Run_should_store_airline_names_and_codes_in_their_own_columns()
    {
        var input = Path.Combine(_directory, "named.ndjson");
        await File.WriteAllLinesAsync(input,
        [
            """{"flight_id":"AA100","timestamp":"2001-01-01T06:55:00Z","airline":"American Airlines","origin":"JFK","destination":"LAX"}""",
            """{"flight_id":"AA101","timestamp":"2001-01-01T07:55:00Z","airline":"AA","airline_name":"American Airlines","origin":"JFK","destination":"LAX"}""",
            """{"flight_id":"DL200","timestamp":"2001-01-01T08:55:00Z","airline":"DL","origin":"ATL","destination":"LAX"}""",
        ]);

        Assert.Equal((3, 3, 0, 3), await RunOnce(input));

        Assert.Equal(
            ["AA100|AA|American Airlines", "AA101|AA|American Airlines", "DL200|DL|"],
            Strings("SELECT flight_id || '|' || coalesce(airline || '|', '') || coalesce(airline_name, '') FROM flights_raw ORDER BY flight_id"));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string[] elements)
    {
        var path = Path.Combine(_directory, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "[" + string.Join(",\n", elements) + "]");
        return path;
    }

    private async Task<(long Produced, long Stored, long AlreadyStored, long Rows)> RunOnce(string input)
    {
        using var aero = AeroProcess.StartAero(_directory, null, "run", "--once", "--input", input);
        var exitCode = await aero.ExitCodeAsync(RunTimeout);
        Assert.True(exitCode == 0, $"aero run --once --input {input} exited with {exitCode}:\n{aero.Output}");
        var summary = SummaryLine().Match(aero.Output);
        Assert.True(summary.Success, $"no summary line in:\n{aero.Output}");
        return (long.Parse(summary.Groups["produced"].Value), long.Parse(summary.Groups["stored"].Value),
            long.Parse(summary.Groups["already"].Value), long.Parse(summary.Groups["rows"].Value));
    }

    private List<string> Strings(string sql)
    {
        using var connection = new DuckDBConnection($"Data Source={Path.Combine(_directory, ".aero", "aero.duckdb")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    [GeneratedRegex(@"summary: produced=(?<produced>\d+) extract_dead_lettered=\d+ stored=(?<stored>\d+) already_stored=(?<already>\d+) dead_lettered=\d+ rows_in_warehouse=(?<rows>\d+)")]
    private static partial Regex SummaryLine();
}
