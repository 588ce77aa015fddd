using System.Globalization;
using System.Text.RegularExpressions;
using Xunit;

namespace Aero.Node.Tests;

/// <summary>
/// Issue 19 §1: <c>aero looker generate</c> writes a view file and an explore for each configured job's output, says
/// which jobs have not run yet, and once <c>aero run --once</c> ran them, how many rows each view offers.
/// </summary>
public sealed partial class LookerCommandSpec : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private static readonly string[] JobOutputs = ["job_airline_ranking", "job_airport_congestion", "job_dashboard_summary", "job_delay_propagation", "job_delays_by_month", "job_top_routes"];
    private readonly string _directory = Directory.CreateTempSubdirectory("aero-looker-").FullName;

    [Fact]
    public async Task Looker_generate_should_write_a_view_and_an_explore_per_job_output_and_say_which_jobs_have_not_run()
    {
        var before = await Aero("looker", "generate", "--out", "before");

        foreach (var output in JobOutputs)
        {
            Assert.Matches($"Job [a-z-]+ \\({output}\\): view {output}_latest, 0 rows no rows yet: the job has not run", Flat(before));
            Assert.True(File.Exists(Path.Combine(_directory, "before", "views", $"{output}_latest.view.lkml")), $"{output}: no view file");
        }

        await Aero("run", "--once");
        var after = Flat(await Aero("looker", "generate", "--out", "after"));

        var model = await File.ReadAllTextAsync(Path.Combine(_directory, "after", "aero.model.lkml"));
        var totals = Lines(await Aero("query", "--format", "csv", string.Join(" UNION ALL ", JobOutputs.Select(o => $"SELECT '{o}', count(*) FROM {o}"))))
            .Skip(1).Select(l => l.Split(',')).ToDictionary(c => c[0], c => long.Parse(c[1], CultureInfo.InvariantCulture));
        foreach (var output in JobOutputs)
        {
            Assert.Contains($"explore: {output}_latest {{", model, StringComparison.Ordinal);
            var rows = long.Parse(Rows().Match(after, after.IndexOf($"({output})", StringComparison.Ordinal)).Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
            Assert.Equal(totals[output], rows);
        }

        // The sample's flights name no airline: that job ran and found nothing, which the command says rather than "not run".
        Assert.True(totals["job_delays_by_month"] > 0 && totals["job_dashboard_summary"] > 0, string.Join(", ", totals));
        Assert.Equal(0, totals["job_airline_ranking"]);
        Assert.Contains("(job_airline_ranking): view job_airline_ranking_latest, 0 rows no rows: its runs found nothing to write", after, StringComparison.Ordinal);
        Assert.DoesNotContain("has not run", after, StringComparison.Ordinal);
        Assert.Contains($"({JobOutputs.Length} over jobs' outputs)", after, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    // The console wraps long lines at its width.
    private static string Flat(string output) => Regex.Replace(output, @"\s+", " ");

    private async Task<string> Aero(params string[] arguments)
    {
        using var aero = AeroProcess.StartAero(_directory, null, arguments);
        var exitCode = await aero.ExitCodeAsync(Timeout);
        Assert.True(exitCode == 0, $"aero {string.Join(' ', arguments)} exited with {exitCode}:\n{aero.Output}");
        return aero.Output;
    }

    [GeneratedRegex(@"view \w+, ([\d,]+) rows")]
    private static partial Regex Rows();
}
