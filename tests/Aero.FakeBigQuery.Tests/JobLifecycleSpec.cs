namespace Aero.FakeBigQuery.Tests;

/// <summary>Jobs that stay RUNNING for one poll, so polling, stateFilter and cancel can be seen.</summary>
public sealed class JobLifecycleSpec() : FakeSpec(new FakeBigQueryOptions { JobPollsUntilDone = 1 })
{
    private async Task TableAsync()
    {
        await Api.CreateDatasetAsync("d");
        await Api.CreateTableAsync("d", "t", """[{"name":"id","type":"STRING"}]""");
    }

    [Fact]
    public async Task A_job_should_run_only_after_the_polls_and_then_be_DONE()
    {
        await TableAsync();

        var inserted = await Api.LoadMultipartAsync(BigQueryHttp.LoadJob("j", "d", "t"), "{\"id\":\"a\"}\n");
        var running = await Api.GetAsync($"bigquery/v2/projects/{P}/jobs/j?location=US");
        var rowsWhileRunning = Server.RowCount(P, "d", "t");
        var done = await Api.GetAsync($"bigquery/v2/projects/{P}/jobs/j?location=US");

        Assert.Equal("RUNNING", inserted.Json!["status"]!["state"]!.GetValue<string>());
        Assert.Equal("RUNNING", running.Json!["status"]!["state"]!.GetValue<string>());
        Assert.Equal(0, rowsWhileRunning);
        Assert.Equal("DONE", done.Json!["status"]!["state"]!.GetValue<string>());
        Assert.NotNull(done.Json["statistics"]!["endTime"]);
        Assert.Equal(1, Server.RowCount(P, "d", "t"));
    }

    [Fact]
    public async Task Jobs_list_should_filter_by_state()
    {
        await TableAsync();
        await Api.LoadMultipartAsync(BigQueryHttp.LoadJob("finished", "d", "t"), "{\"id\":\"a\"}\n");
        await Api.GetAsync($"bigquery/v2/projects/{P}/jobs/finished");
        await Api.GetAsync($"bigquery/v2/projects/{P}/jobs/finished");
        await Api.LoadMultipartAsync(BigQueryHttp.LoadJob("busy", "d", "t"), "{\"id\":\"b\"}\n");

        var running = await Api.GetAsync($"bigquery/v2/projects/{P}/jobs?stateFilter=running");
        var done = await Api.GetAsync($"bigquery/v2/projects/{P}/jobs?stateFilter=done");
        var all = await Api.GetAsync($"bigquery/v2/projects/{P}/jobs?stateFilter=done&stateFilter=running");

        Assert.Equal(["busy"], running.Json!["jobs"]!.AsArray().Select(j => j!["jobReference"]!["jobId"]!.GetValue<string>()));
        Assert.Equal(["finished"], done.Json!["jobs"]!.AsArray().Select(j => j!["jobReference"]!["jobId"]!.GetValue<string>()));
        Assert.Equal(2, all.Json!["jobs"]!.AsArray().Count);
    }

    [Fact]
    public async Task Cancelling_a_running_load_should_finish_it_with_an_error_and_load_nothing()
    {
        await TableAsync();
        await Api.LoadMultipartAsync(BigQueryHttp.LoadJob("j", "d", "t"), "{\"id\":\"a\"}\n");

        var cancelled = await Api.PostAsync($"bigquery/v2/projects/{P}/jobs/j/cancel?location=US", "");
        var polled = await Api.GetAsync($"bigquery/v2/projects/{P}/jobs/j");

        Assert.Equal("DONE", cancelled.Json!["job"]!["status"]!["state"]!.GetValue<string>());
        Assert.Equal("stopped", polled.Json!["status"]!["errorResult"]!["reason"]!.GetValue<string>());
        Assert.Equal(0, Server.RowCount(P, "d", "t"));
    }

    [Fact]
    public async Task A_slow_query_should_answer_jobComplete_false_and_deliver_through_getQueryResults()
    {
        var query = await Api.QueryAsync("SELECT 42 AS answer");
        var jobId = query.Json!["jobReference"]!["jobId"]!.GetValue<string>();
        var pending = await Api.GetAsync($"bigquery/v2/projects/{P}/queries/{jobId}?location=US");
        var results = await Api.GetAsync($"bigquery/v2/projects/{P}/queries/{jobId}?location=US");

        Assert.False(query.Json["jobComplete"]!.GetValue<bool>());
        Assert.False(pending.Json!["jobComplete"]!.GetValue<bool>());
        Assert.True(results.Json!["jobComplete"]!.GetValue<bool>());
        Assert.Equal("42", results.Json["rows"]![0]!["f"]![0]!["v"]!.GetValue<string>());
    }
}
