using System.Globalization;
using System.Text;
using Xunit;

namespace Aero.Node.Tests;

/// <summary>The <c>aero</c> verbs the process specs drive a running pipeline with: produce flights, query the warehouse.</summary>
public static class AeroCli
{
    private static readonly string[] Airports = ["LAX", "SFO", "JFK", "ORD", "ATL", "SEA"];
    private static readonly DateTime FirstDeparture = new(2001, 1, 1, 6, 0, 0, DateTimeKind.Unspecified);

    /// <summary>
    /// Writes <paramref name="records"/> vega-style flights, numbered from <paramref name="first"/>, as NDJSON and runs
    /// <c>aero produce</c>. Event ids come from content, so flight i departs i minutes after the first: no two flights
    /// of any calls are alike.
    /// </summary>
    public static async Task ProduceFlightsAsync(string directory, string bootstrap, int records, TimeSpan timeout, int first = 0)
    {
        var input = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"flights-{first}.ndjson"));
        var lines = new StringBuilder();
        for (var i = first; i < first + records; i++)
        {
            lines.Append(CultureInfo.InvariantCulture,
                $"{{\"date\":\"{FirstDeparture.AddMinutes(i):yyyy/MM/dd HH:mm}\",\"delay\":{i % 120 - 20},\"distance\":{100 + i % 2000},\"origin\":\"{Airports[i % 6]}\",\"destination\":\"{Airports[(i + 1) % 6]}\"}}\n");
        }

        await File.WriteAllTextAsync(input, lines.ToString());
        using var produce = AeroProcess.StartAero(directory, null, "produce", "--input", input, "--bootstrap", bootstrap);
        Assert.True(await produce.ExitCodeAsync(timeout) == 0, produce.Output);
    }

    /// <summary>One row of numbers, through <c>aero query --format csv</c> on the warehouse <paramref name="config"/> names.</summary>
    public static async Task<long[]> QueryNumbersAsync(string directory, string config, string sql, TimeSpan timeout)
    {
        using var query = AeroProcess.StartAero(directory, null, "query", sql, "--format", "csv", "--config", config);
        Assert.True(await query.ExitCodeAsync(timeout) == 0, query.Output);
        var lines = query.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return [.. lines[^1].Split(',').Select(value => long.Parse(value, CultureInfo.InvariantCulture))];
    }
}
