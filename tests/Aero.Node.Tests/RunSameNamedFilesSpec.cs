using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace Aero.Node.Tests;

/// <summary>Issue 13 §1.2, end to end: daily exports that reuse a file name must all reach the warehouse.</summary>
public sealed partial class RunSameNamedFilesSpec : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);
    private readonly string _directory = Directory.CreateTempSubdirectory("aero-run-names-").FullName;

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

    [GeneratedRegex(@"summary: produced=(?<produced>\d+) extract_dead_lettered=\d+ stored=(?<stored>\d+) already_stored=(?<already>\d+) dead_lettered=\d+ rows_in_warehouse=(?<rows>\d+)")]
    private static partial Regex SummaryLine();
}
