using System.Globalization;
using System.Text.RegularExpressions;
using Xunit;

namespace Aero.Node.Tests;

/// <summary>
/// Issue 19 §3 and §5: <c>aero report</c> on what <c>aero run --once</c> loaded from the bundled sample: one HTML file
/// holding every chart as SVG, a PNG and a CSV per chart, and numbers that are the warehouse's.
/// </summary>
public sealed partial class ReportCommandSpec : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private static readonly string[] ChartNames = ["delay-by-airline", "category-mix", "flights-by-hour", "delayed-routes", "airport-map"];
    private readonly string _directory = Directory.CreateTempSubdirectory("aero-report-").FullName;

    [Fact]
    public async Task Report_should_hold_every_chart_as_svg_png_and_csv_with_the_warehouse_s_numbers()
    {
        await Aero("run", "--once");

        var output = await Aero("report", "--out", "out");

        var folder = Path.Combine(_directory, "out");
        Assert.Contains("Report of 5,000 flights", output, StringComparison.Ordinal);
        var html = await File.ReadAllTextAsync(Path.Combine(folder, "report.html"));
        Assert.DoesNotMatch("(src|href)=\"https?://", html);
        foreach (var chart in ChartNames)
        {
            Assert.Matches($"<section class=\"chart\" id=\"{chart}\"><h2>[^<]+</h2>\\s*<svg ", html);
            var png = await File.ReadAllBytesAsync(Path.Combine(folder, chart + ".png"));
            Assert.True(png.Length > 1000 && png.AsSpan(0, 4).SequenceEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }), $"{chart}.png is no PNG image");
            Assert.True(File.ReadAllLines(Path.Combine(folder, chart + ".csv")).Length > 1, $"{chart}.csv holds no rows");
        }

        Assert.DoesNotContain("class=\"no-data\"", html, StringComparison.Ordinal);
        var warehouse = Lines(await Aero("query", "--format", "csv",
            "SELECT count(*), round(100.0 * count(CASE WHEN delay_category = 'On-Time' THEN 1 END) / count(delay_category), 1), round(avg(departure_delay_minutes), 1) FROM flights"))[1].Split(',');
        Assert.Equal("5,000", FlightsCell().Match(html).Groups[1].Value);
        Assert.Equal($"{Decimal(warehouse[1])} %", OnTimeCell().Match(html).Groups[1].Value);
        Assert.Equal($"{Decimal(warehouse[2])} min", DelayCell().Match(html).Groups[1].Value);

        // The category mix adds up to every flight, category by category as the warehouse counts them.
        var mix = Lines(await File.ReadAllTextAsync(Path.Combine(folder, "category-mix.csv"))).Skip(1).Select(l => l.Split(',')).ToDictionary(c => c[0], c => long.Parse(c[1], CultureInfo.InvariantCulture));
        var direct = Lines(await Aero("query", "--format", "csv", "SELECT COALESCE(delay_category, 'Unknown'), count(*) FROM flights GROUP BY 1")).Skip(1).Select(l => l.Split(','))
            .ToDictionary(c => c[0], c => long.Parse(c[1], CultureInfo.InvariantCulture));
        Assert.Equal(direct.OrderBy(e => e.Key), mix.OrderBy(e => e.Key));
        Assert.Equal(5000, mix.Values.Sum());
    }

    [Fact]
    public async Task Report_should_keep_to_its_span_of_days()
    {
        await Aero("run", "--once");
        var firstDay = Lines(await Aero("query", "--format", "csv", "SELECT min(event_date), count(*) FILTER (WHERE event_date = (SELECT min(event_date) FROM flights)) FROM flights"))[1].Split(',');

        await Aero("report", "--out", "day.html", "--from", firstDay[0], "--to", firstDay[0]);

        var html = await File.ReadAllTextAsync(Path.Combine(_directory, "day.html"));
        Assert.Equal(long.Parse(firstDay[1], CultureInfo.InvariantCulture).ToString("N0", CultureInfo.InvariantCulture), FlightsCell().Match(html).Groups[1].Value);
        Assert.Contains($"flights from {firstDay[0]} to {firstDay[0]}", html, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Decimal(string text) => double.Parse(text, CultureInfo.InvariantCulture).ToString("0.0", CultureInfo.InvariantCulture);

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    private async Task<string> Aero(params string[] arguments)
    {
        using var aero = AeroProcess.StartAero(_directory, null, arguments);
        var exitCode = await aero.ExitCodeAsync(Timeout);
        Assert.True(exitCode == 0, $"aero {string.Join(' ', arguments)} exited with {exitCode}:\n{aero.Output}");
        return aero.Output;
    }

    [GeneratedRegex("id=\"flights\">([^<]+)<")]
    private static partial Regex FlightsCell();

    [GeneratedRegex("id=\"on-time-share\">([^<]+)<")]
    private static partial Regex OnTimeCell();

    [GeneratedRegex("id=\"average-delay\">([^<]+)<")]
    private static partial Regex DelayCell();
}
