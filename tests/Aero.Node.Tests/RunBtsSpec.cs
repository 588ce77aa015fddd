using System.Globalization;
using System.Text.RegularExpressions;
using Aero.Streams.Tests.Extract.Bts;
using Xunit;

namespace Aero.Node.Tests;

/// <summary>issue 15 §4: a person with a BTS download runs <c>aero run --once --input On_Time_....zip</c> and queries it.</summary>
public sealed partial class RunBtsSpec : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private readonly string _directory = Directory.CreateTempSubdirectory("aero-run-bts-").FullName;

    [Fact]
    public async Task Run_once_on_a_bts_zip_should_store_every_flight_and_query_should_show_cancellations_and_delay_causes()
    {
        var rows = BtsSample.Generate(1200).ToList();
        // Two rows that cannot be placed: dead letters with their reason, never guessed.
        rows.Add(rows[10] with { Values = new Dictionary<string, string>(rows[10].Values) { ["Origin"] = "ZZZ" } });
        rows.Add(rows[11] with { Values = new Dictionary<string, string>(rows[11].Values) { ["CRSDepTime"] = "2575" } });
        var zip = Path.Combine(_directory, "On_Time_Reporting_Carrier_On_Time_Performance_1987_present_2024_3.zip");
        BtsSample.WriteZip(zip, rows);

        var run = await Aero("run", "--once", "--input", zip);

        var summary = SummaryLine().Match(run);
        Assert.True(summary.Success, $"no summary line in:\n{run}");
        Assert.Equal(("1200", "2", "1200", "1200"), (summary.Groups["produced"].Value, summary.Groups["dead"].Value, summary.Groups["stored"].Value, summary.Groups["rows"].Value));

        var expected = rows.Take(1200).Select(r => r.Expected).ToList();
        var cancellations = await Aero("query", "--format", "csv",
            "SELECT cancellation_code, count(*) AS flights FROM flights_raw WHERE cancelled GROUP BY cancellation_code ORDER BY cancellation_code");
        Assert.Equal(
            ["cancellation_code,flights", .. expected.Where(f => f.Cancelled == true).GroupBy(f => f.CancellationCode).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key},{g.Count()}")],
            Lines(cancellations));

        var causes = await Aero("query", "--format", "csv",
            "SELECT sum(carrier_delay) AS carrier, sum(weather_delay) AS weather, sum(nas_delay) AS nas, sum(security_delay) AS security, sum(late_aircraft_delay) AS late_aircraft, count(*) FILTER (WHERE diverted) AS diverted FROM flights_raw");
        Assert.Equal(
            ["carrier,weather,nas,security,late_aircraft,diverted",
             string.Join(',', new[] { Sum(expected, f => f.CarrierDelay), Sum(expected, f => f.WeatherDelay), Sum(expected, f => f.NasDelay), Sum(expected, f => f.SecurityDelay), Sum(expected, f => f.LateAircraftDelay), expected.Count(f => f.Diverted == true).ToString(CultureInfo.InvariantCulture) })],
            Lines(causes));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Sum(IEnumerable<Aero.Flights.FlightRecord> flights, Func<Aero.Flights.FlightRecord, double?> cause) =>
        flights.Sum(f => cause(f) ?? 0).ToString(CultureInfo.InvariantCulture);

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private async Task<string> Aero(params string[] arguments)
    {
        using var aero = AeroProcess.StartAero(_directory, null, arguments);
        var exitCode = await aero.ExitCodeAsync(Timeout);
        Assert.True(exitCode == 0, $"aero {string.Join(' ', arguments)} exited with {exitCode}:\n{aero.Output}");
        return aero.Output;
    }

    [GeneratedRegex(@"summary: produced=(?<produced>\d+) extract_dead_lettered=(?<dead>\d+) stored=(?<stored>\d+) already_stored=\d+ dead_lettered=\d+ rows_in_warehouse=(?<rows>\d+)")]
    private static partial Regex SummaryLine();
}
