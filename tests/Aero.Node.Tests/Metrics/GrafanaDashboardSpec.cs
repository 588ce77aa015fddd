using System.Text.Json;
using System.Text.RegularExpressions;
using Aero.Node.Tests.Admin;
using Xunit;

namespace Aero.Node.Tests.Metrics;

/// <summary>Issue 19 §4: every metric the Grafana dashboard in k8s/grafana queries is one a running node's <c>/metrics</c> exposes.</summary>
public sealed partial class GrafanaDashboardSpec(AdminNodeFixture node) : IClassFixture<AdminNodeFixture>, IDisposable
{
    private static readonly string DashboardFile = Path.Combine(AppContext.BaseDirectory, "k8s", "grafana", "aero-nodes.json");

    private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://{node.Endpoint}/") };

    [Fact]
    public async Task Every_metric_the_Grafana_dashboard_queries_should_be_exposed_by_a_running_node()
    {
        var queries = Queries(JsonDocument.Parse(await File.ReadAllTextAsync(DashboardFile)).RootElement).ToList();
        var queried = queries.SelectMany(q => MetricName().Matches(q).Select(m => m.Groups["name"].Value)).ToHashSet(StringComparer.Ordinal);
        // Once the sample is stored, every family the load feeds has shown itself.
        var metrics = await ScrapeOnceLoadedAsync();
        var families = FamilyLine().Matches(metrics).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["type"].Value, StringComparer.Ordinal);

        Assert.True(queried.Count >= 12, $"only {queried.Count} metrics found in {queries.Count} queries");
        // Issue 19 item 2: consumer lag and the windows have their panels, fed by what the loaded node exposes.
        Assert.Subset(queried, new HashSet<string>(StringComparer.Ordinal)
        {
            "aero_kafka_consumer_lag", "aero_windows_open", "aero_windows_finalized_total", "aero_windows_late_records_total", "aero_windows_slowest_watermark_seconds",
        });
        foreach (var name in queried)
        {
            var family = HistogramSeries().Match(name) is { Success: true } series && families.GetValueOrDefault(series.Groups["family"].Value) == "histogram"
                ? series.Groups["family"].Value
                : name;
            Assert.True(families.ContainsKey(family), $"the dashboard queries {name}, which /metrics does not expose. Exposed: {string.Join(", ", families.Keys.Order())}");
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Every PromQL text of the dashboard: its panels' targets and its template variables' queries.</summary>
    private static IEnumerable<string> Queries(JsonElement dashboard)
    {
        foreach (var panel in dashboard.GetProperty("panels").EnumerateArray())
        {
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                yield return target.GetProperty("expr").GetString()!;
            }
        }

        foreach (var variable in dashboard.GetProperty("templating").GetProperty("list").EnumerateArray())
        {
            if (variable.GetProperty("type").GetString() == "query")
            {
                yield return variable.GetProperty("query").GetString()!;
            }
        }
    }

    private async Task<string> ScrapeOnceLoadedAsync()
    {
        var deadline = DateTime.UtcNow + AdminNodeFixture.Timeout;
        while (true)
        {
            var metrics = await _http.GetStringAsync("metrics");
            if (PrometheusText.Value(metrics, "aero_warehouse_rows_stored_total") == 5_000)
            {
                return metrics;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the sample was not stored in time:\n{metrics}");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    // A metric is a name followed by its label selector or a range; functions are followed by "(", labels by "=".
    [GeneratedRegex(@"(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)\s*[\{\[]")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"^# TYPE (?<name>\S+) (?<type>\S+)$", RegexOptions.Multiline)]
    private static partial Regex FamilyLine();

    [GeneratedRegex(@"^(?<family>.+)_(bucket|sum|count)$")]
    private static partial Regex HistogramSeries();
}
