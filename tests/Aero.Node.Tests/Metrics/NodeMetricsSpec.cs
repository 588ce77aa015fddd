using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Aero.Node.Tests.Admin;
using Xunit;

namespace Aero.Node.Tests.Metrics;

/// <summary><c>/metrics</c> and <c>/healthz</c> of a running <c>aero run</c>, scraped over HTTP as Prometheus and Kubernetes do.</summary>
public sealed partial class NodeMetricsSpec(AdminNodeFixture node) : IClassFixture<AdminNodeFixture>, IDisposable
{
    // Between checks of a condition the node reaches by itself; short, so a test waits about as long as the node takes.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://{node.Endpoint}/") };

    [Fact]
    public async Task Metrics_should_count_the_sample_at_every_stage_once_it_is_loaded()
    {
        var metrics = await ScrapeUntil(m => PrometheusText.Value(m, "aero_warehouse_rows_stored_total") == 5_000);

        Assert.Equal(5_000, PrometheusText.Value(metrics, "aero_extract_records_sent_total"));
        Assert.Equal(5_000, PrometheusText.Value(metrics, "aero_kafka_records_produced_total"));
        Assert.Equal(5_000, PrometheusText.Value(metrics, "aero_kafka_records_consumed_total"));
        Assert.Equal(0, PrometheusText.Value(metrics, "aero_warehouse_dead_letters_total"));
        Assert.True(PrometheusText.Value(metrics, "aero_warehouse_batch_seconds_count") > 0, metrics);
        Assert.Equal(PrometheusText.Value(metrics, "aero_warehouse_batch_seconds_count"), PrometheusText.Value(metrics, "aero_warehouse_batch_seconds_bucket", "le=\"+Inf\""));
        Assert.Contains("# TYPE aero_warehouse_batch_seconds histogram", metrics);
        Assert.Contains("# TYPE aero_kafka_records_consumed_total counter", metrics);
    }

    [Fact]
    public async Task Metrics_should_show_the_node_as_one_Up_member_and_count_its_actors()
    {
        var metrics = await ScrapeUntil(m => PrometheusText.Value(m, "akka_actor_live", "actortype=\"PipelineActor\"") == 1);

        Assert.Equal(1, PrometheusText.Value(metrics, "akka_cluster_members", "status=\"Up\""));
        Assert.Equal(0, PrometheusText.Value(metrics, "akka_cluster_members", "status=\"Joining\""));
        Assert.Equal(0, PrometheusText.Value(metrics, "akka_cluster_unreachable_members"));
        Assert.Equal(1, PrometheusText.Value(metrics, "akka_actor_live", "actortype=\"GraphsActor\""));
        Assert.Equal(1, PrometheusText.Value(metrics, "akka_actor_live", "actortype=\"CoordinatorActor\""));
        Assert.True(PrometheusText.Value(metrics, "akka_messages_recv_total", "actortype=\"GraphsActor\"") >= 1, metrics);
        Assert.NotNull(PrometheusText.Value(metrics, "akka_actor_mailbox_depth", "actortype=\"GraphsActor\""));
        Assert.Contains("# TYPE akka_deadletters_total counter", metrics);
        Assert.Contains("# TYPE akka_actor_restarts_total counter", metrics);
    }

    [Fact]
    public async Task Metrics_should_report_consumer_lag_for_every_partition()
    {
        // librdkafka reports lag with its statistics, every statistics.interval.ms.
        var metrics = await ScrapeUntil(m => LagSeries().Count(m) == 6);

        var partitions = LagSeries().Matches(metrics).Select(m => int.Parse(m.Groups["partition"].Value, CultureInfo.InvariantCulture)).Order();
        Assert.Equal([0, 1, 2, 3, 4, 5], partitions);
    }

    [Fact]
    public async Task Liveness_should_answer_200_while_the_process_serves()
    {
        using var live = await _http.GetAsync("healthz/live");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("live", JsonDocument.Parse(await live.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readiness_should_be_200_while_Up_and_consuming_and_503_with_the_reason_while_a_graph_is_paused()
    {
        // The node is shared with the counting spec: a pause mid-load would drop records the consumer had fetched, and
        // the resumed graph would read (and count) them again.
        await ScrapeUntil(m => PrometheusText.Value(m, "aero_warehouse_rows_stored_total") == 5_000);
        var ready = await ReadyUntil(HttpStatusCode.OK);

        var paused = await node.AdminJson("pipeline", "pause");
        var whilePaused = await ReadyUntil(HttpStatusCode.ServiceUnavailable);
        await node.AdminJson("pipeline", "resume");
        var resumed = await ReadyUntil(HttpStatusCode.OK);

        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.Equal("Stopped", paused.GetProperty("graphs")[0].GetProperty("state").GetString());
        Assert.Equal("not ready", whilePaused.GetProperty("status").GetString());
        Assert.Equal("graph load is Stopped", whilePaused.GetProperty("reason").GetString());
        Assert.Equal("ready", resumed.GetProperty("status").GetString());
    }

    public void Dispose() => _http.Dispose();

    /// <summary>A sample's value; null when the series is absent.</summary>
    private async Task<string> ScrapeUntil(Func<string, bool> condition)
    {
        var deadline = DateTime.UtcNow + AdminNodeFixture.Timeout;
        var metrics = await _http.GetStringAsync("metrics");
        while (!condition(metrics) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(PollInterval);
            metrics = await _http.GetStringAsync("metrics");
        }

        Assert.True(condition(metrics), $"/metrics never met the condition:\n{metrics}");
        return metrics;
    }

    private async Task<JsonElement> ReadyUntil(HttpStatusCode status)
    {
        var deadline = DateTime.UtcNow + AdminNodeFixture.Timeout;
        while (true)
        {
            using var response = await _http.GetAsync("healthz/ready");
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            if (response.StatusCode == status)
            {
                return body;
            }

            Assert.True(DateTime.UtcNow < deadline, $"/healthz/ready stayed {response.StatusCode}: {body}");
            await Task.Delay(PollInterval);
        }
    }

    [GeneratedRegex(@"^aero_kafka_consumer_lag\{[^}]*partition=""(?<partition>\d+)""[^}]*\} \d+$", RegexOptions.Multiline)]
    private static partial Regex LagSeries();
}
