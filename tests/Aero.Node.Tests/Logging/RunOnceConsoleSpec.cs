using System.Text.RegularExpressions;
using Xunit;

namespace Aero.Node.Tests.Logging;

/// <summary>issue 14 §3: what a person sees of <c>aero run --once</c> on the embedded defaults.</summary>
public sealed partial class RunOnceConsoleSpec : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("aero-console-").FullName;

    [Fact]
    public async Task Run_once_should_print_its_load_in_at_most_25_lines_then_its_busiest_windows_and_a_headline_per_job_and_log_to_the_file_it_names()
    {
        // A terminal's width: Spectre wraps long lines there, and each wrapped line counts.
        using var aero = AeroProcess.StartAero(_directory, new Dictionary<string, string> { ["COLUMNS"] = "80" }, "run", "--once");

        var exit = await aero.ExitCodeAsync(TimeSpan.FromMinutes(2));

        var output = aero.Output;
        Assert.True(exit == 0, output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // Three parts: the load's progress and summary, the busiest windows (issue 17), one headline per job (issue 18 §6).
        var windows = Array.IndexOf(lines, "Busiest finalized windows:");
        Assert.True(windows > 0, output);
        var load = lines[..windows];
        // On a pipe a live display (the extract's, the load's) prints a line per tick where a terminal redraws one line
        // in place, and a slow machine ticks more: each display counts as the one line a person sees.
        var extractTicks = load.Count(line => ExtractTick().IsMatch(line));
        var loadTicks = load.Count(line => line.StartsWith("Loading: ", StringComparison.Ordinal));
        var seen = load.Length - extractTicks - loadTicks + Math.Min(extractTicks, 1) + Math.Min(loadTicks, 1);
        Assert.True(seen <= 25, $"{seen} lines of the load:\n{output}");
        Assert.All(lines[(windows + 1)..(windows + 4)], line => Assert.Matches(WindowLine(), line));
        string[] jobs = ["airline-ranking", "airport-congestion", "dashboard-summary", "delay-propagation", "delays-by-month", "top-routes"];
        Assert.Equal(jobs, lines[(windows + 4)..].Select(line => line[..line.IndexOf(':', StringComparison.Ordinal)]));
        // A job that wrote nothing says why (the sample names no airline and has no arrival times), never a bare "0 rows".
        Assert.All(lines[(windows + 4)..], line => Assert.Matches(JobLine(), line));
        Assert.Contains("airline-ranking: 0 rows; no flight names its airline", output, StringComparison.Ordinal);
        Assert.DoesNotMatch(Warning(), output);
        // The progress display's final figures are this node's real counts, as in the summary.
        Assert.Contains("Loaded: the warehouse's offsets reached 5,000 of 5,000; 0 of 6 partitions behind; this node stored 5,000 rows", string.Join(' ', lines), StringComparison.Ordinal);
        Assert.Contains("summary: produced=5000 extract_dead_lettered=0 stored=5000 ", output, StringComparison.Ordinal);
        Assert.Contains("top-routes: 100 rows; top ", output, StringComparison.Ordinal);
        Assert.Contains("dashboard-summary: ", output, StringComparison.Ordinal);
        Assert.Contains(" rows; 5,000 flights, ", output, StringComparison.Ordinal);

        var logFile = LogLine().Match(output);
        Assert.True(logFile.Success, output);
        var log = await File.ReadAllTextAsync(logFile.Groups["path"].Value.Trim());
        Assert.Contains("Graph load started", log, StringComparison.Ordinal);
        Assert.Contains("Cluster (akka://aero): Cluster Node", log, StringComparison.Ordinal);
        // Akka's last lines, written after its loggers stopped, go to the file as well.
        Assert.Contains("remoting-terminator: Remoting shut down.", log, StringComparison.Ordinal);
        // Nothing warns on a healthy start (the singleton proxy used to, within a second), and every line names its source.
        Assert.DoesNotMatch(Warning(), log);
        Assert.DoesNotContain("DummyClassForStringSources", log, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [GeneratedRegex(@"^[a-z-]+: [\d,]+ rows; \S")]
    private static partial Regex JobLine();

    [GeneratedRegex(@"\bWRN\b|WARNING|\bwarn", RegexOptions.IgnoreCase)]
    private static partial Regex Warning();

    [GeneratedRegex(@"^flights-5k\.json: [\d,]+ records, [\d,]+/s")]
    private static partial Regex ExtractTick();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}-\d{2}:\d{2} UTC .+: \d+ flights, avg departure delay ")]
    private static partial Regex WindowLine();

    [GeneratedRegex(@"^log: (?<path>.+)$", RegexOptions.Multiline)]
    private static partial Regex LogLine();
}
