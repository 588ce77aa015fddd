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
        // Once the sample is stored and a job ran, every family the load and the jobs feed has shown itself.
        var metrics = await ScrapeOnceLoadedAndJobRanAsync();
        var families = FamilyLine().Matches(metrics).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["type"].Value, StringComparer.Ordinal);

        Assert.True(queried.Count >= 12, $"only {queried.Count} metrics found in {queries.Count} queries");
        // Issue 19 item 2: consumer lag and the windows have their panels, fed by what the loaded node exposes.
        Assert.Subset(queried, new HashSet<string>(StringComparer.Ordinal)
        {
            "aero_kafka_consumer_lag", "aero_windows_open", "aero_windows_finalized_total", "aero_windows_late_records_total", "aero_windows_slowest_watermark_seconds",
            // Issue 18 "jobs metrics", issue 19 §4: the jobs' panels.
            "aero_jobs_runs_started_total", "aero_jobs_runs_succeeded_total", "aero_jobs_runs_failed_total", "aero_jobs_runs_cancelled_total",
            "aero_jobs_run_duration_seconds_bucket", "aero_jobs_rows_written_total",
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

    /// <summary>
    /// Scrapes once the sample is stored and a job run started through the admin API has ended: a run's duration is
    /// observed only when it ends, so its histogram appears only then.
    /// </summary>
    private async Task<string> ScrapeOnceLoadedAndJobRanAsync()
    {
        var deadline = DateTime.UtcNow + AdminNodeFixture.Timeout;
        var jobRun = false;
        while (true)
        {
            var metrics = await _http.GetStringAsync("metrics");
            var loaded = PrometheusText.Value(metrics, "aero_warehouse_rows_stored_total") == 5_000;
            if (loaded && !jobRun)
            {
                await node.AdminJson("jobs", "run", "delays-by-month", "--period", "2020-01-01T00:00:00Z");
                jobRun = true;
            }
            // Consumer lag comes from the consumer's statistics, reported each statistics interval: it shows after the
            // first report, which may come after the last row is stored.
            else if (jobRun && metrics.Contains("# TYPE aero_kafka_consumer_lag ", StringComparison.Ordinal)
                && PrometheusText.Value(metrics, "aero_jobs_run_duration_seconds_count", "job=\"delays-by-month\",outcome=\"succeeded\"") >= 1)
            {
                return metrics;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the sample was not stored, the job did not end or no consumer lag was reported in time:\n{metrics}");
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
