using System.Globalization;
using Aero.Warehouse.BigQuery;
using Spectre.Console;

namespace Aero.Bench;

/// <summary>The final table, in Markdown borders so it pastes into BENCHMARKS.md as it is.</summary>
internal static class ResultsTable
{
    public static Table Render(IReadOnlyList<RunResult> baseline, IReadOnlyList<RunResult> aero)
    {
        var table = new Table().Border(TableBorder.Markdown)
            .AddColumn("round")
            .AddColumn(new TableColumn("(a) Confluent rec/s").RightAligned())
            .AddColumn(new TableColumn("(b) Aero rec/s").RightAligned())
            .AddColumn(new TableColumn("b/a").RightAligned())
            .AddColumn(new TableColumn("(a) join ms").RightAligned())
            .AddColumn(new TableColumn("(b) join ms").RightAligned())
            .AddColumn(new TableColumn("(a) rec/s after join").RightAligned())
            .AddColumn(new TableColumn("(b) rec/s after join").RightAligned())
            .AddColumn(new TableColumn("b/a after join").RightAligned());
        for (var i = 0; i < baseline.Count; i++)
        {
            var a = baseline[i];
            var b = aero[i];
            table.AddRow(
                (i + 1).ToString(CultureInfo.InvariantCulture),
                Count(a.RecordsPerSecond),
                Count(b.RecordsPerSecond),
                Ratio(b.RecordsPerSecond / a.RecordsPerSecond),
                Millis(a.FirstRecord.TotalMilliseconds),
                Millis(b.FirstRecord.TotalMilliseconds),
                Count(a.SteadyRecordsPerSecond),
                Count(b.SteadyRecordsPerSecond),
                Ratio(b.SteadyRecordsPerSecond / a.SteadyRecordsPerSecond));
        }

        var medianA = Median(baseline.Select(r => r.RecordsPerSecond));
        var medianB = Median(aero.Select(r => r.RecordsPerSecond));
        var steadyA = Median(baseline.Select(r => r.SteadyRecordsPerSecond));
        var steadyB = Median(aero.Select(r => r.SteadyRecordsPerSecond));
        table.AddRow(
            "median",
            Count(medianA),
            Count(medianB),
            Ratio(medianB / medianA),
            Millis(Median(baseline.Select(r => r.FirstRecord.TotalMilliseconds))),
            Millis(Median(aero.Select(r => r.FirstRecord.TotalMilliseconds))),
            Count(steadyA),
            Count(steadyB),
            Ratio(steadyB / steadyA));
        return table;
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>The 50th and 99th percentiles (nearest rank) and the maximum of latencies; zeros for none.</summary>
    public static (double P50, double P99, double Max) Percentiles(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? (0, 0, 0) : (Rank(0.50), Rank(0.99), sorted[^1]);

        double Rank(double fraction) => sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    /// <summary>A rate or a count as the benchmarks print it: thousands separated, no decimals.</summary>
    public static string Count(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Millis(double value) => value.ToString("F0", CultureInfo.InvariantCulture);

    /// <summary>A ratio as the benchmarks print it: two decimals.</summary>
    public static string Ratio(double value) => value.ToString("F2", CultureInfo.InvariantCulture);
}
