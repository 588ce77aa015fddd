namespace Aero.FakeBigQuery.Tests;

public sealed class FaultSpec : FakeSpec
{
    [Fact]
    public async Task A_status_fault_should_answer_with_the_error_envelope_and_do_nothing()
    {
        await Api.CreateDatasetAsync("d");
        await Api.CreateTableAsync("d", "t", """[{"name":"id","type":"STRING"}]""");
        Server.Faults.Enqueue("bigquery.tabledata.insertAll", FakeFault.Status(403, "rateLimitExceeded", "Exceeded rate limits"));

        var faulted = await Api.InsertAllAsync("d", "t", """{"rows":[{"json":{"id":"a"}}]}""");
        var retried = await Api.InsertAllAsync("d", "t", """{"rows":[{"json":{"id":"a"}}]}""");

        var error = faulted.Json!["error"]!;
        Assert.Equal(403, error["code"]!.GetValue<int>());
        Assert.Equal("Exceeded rate limits", error["message"]!.GetValue<string>());
        Assert.Equal(("global", "rateLimitExceeded"), (error["errors"]![0]!["domain"]!.GetValue<string>(), error["errors"]![0]!["reason"]!.GetValue<string>()));
        Assert.Equal("PERMISSION_DENIED", error["status"]!.GetValue<string>());
        Assert.Equal(200, retried.Status);
        Assert.Equal(1, Server.RowCount(P, "d", "t"));
        Assert.Equal(2, Server.Stats.Requests("bigquery.tabledata.insertAll"));
    }

    [Fact]
    public async Task An_html_fault_should_look_like_a_proxy_error()
    {
        Server.Faults.Enqueue("bigquery.datasets.list", FakeFault.HtmlStatus(502));

        var response = await Api.GetAsync($"bigquery/v2/projects/{P}/datasets");

        Assert.Equal(502, response.Status);
        Assert.Equal("text/html", response.ContentType);
        Assert.Null(response.Json);
    }

    [Fact]
    public async Task AcceptThenFail_on_jobs_insert_should_create_the_job_so_the_retry_gets_409()
    {
        await Api.CreateDatasetAsync("d");
        await Api.CreateTableAsync("d", "t", """[{"name":"id","type":"STRING"}]""");
        Server.Faults.Enqueue("bigquery.jobs.insert", FakeFault.AcceptThenFail(503, "backendError"));
        var job = BigQueryHttp.LoadJob("aero_t_0_9_a0", "d", "t");

        var first = await Api.LoadMultipartAsync(job, "{\"id\":\"a\"}\n");
        var retry = await Api.LoadMultipartAsync(job, "{\"id\":\"a\"}\n");
        var adopted = await Api.GetAsync($"bigquery/v2/projects/{P}/jobs/aero_t_0_9_a0?location=US");

        Assert.Equal((503, "backendError"), (first.Status, first.ErrorReason));
        Assert.Equal((409, "duplicate"), (retry.Status, retry.ErrorReason));
        Assert.Equal("DONE", adopted.Json!["status"]!["state"]!.GetValue<string>());
        Assert.Equal(1, Server.RowCount(P, "d", "t"));
        Assert.Equal(0, Server.Faults.Pending("bigquery.jobs.insert"));
    }

    [Fact]
    public async Task A_delay_longer_than_the_client_timeout_should_time_the_client_out()
    {
        Server.Faults.Enqueue("bigquery.datasets.list", FakeFault.Delay(TimeSpan.FromMinutes(5)));
        using var impatient = new BigQueryHttp(Server, TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAsync<TaskCanceledException>(() => impatient.GetAsync($"bigquery/v2/projects/{P}/datasets"));
        var next = await Api.GetAsync($"bigquery/v2/projects/{P}/datasets");

        Assert.Equal(200, next.Status);
    }
}
