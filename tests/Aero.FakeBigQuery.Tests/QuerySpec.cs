namespace Aero.FakeBigQuery.Tests;

public sealed class QuerySpec : FakeSpec
{
    private async Task FlightsAsync()
    {
        await Api.CreateDatasetAsync("d");
        await Api.CreateTableAsync("d", "flights", """[{"name":"id","type":"STRING"},{"name":"n","type":"INTEGER"},{"name":"ts","type":"TIMESTAMP"},{"name":"fare","type":"NUMERIC"}]""");
        await Api.InsertAllAsync("d", "flights", """
            {"rows":[{"json":{"id":"a","n":1,"ts":"2025-01-01 10:00:00","fare":"1.50"}},{"json":{"id":"b","n":2}},{"json":{"id":"c","n":3}}]}
            """);
    }

    [Theory]
    [InlineData("""{"query":"SELECT 1"}""")]
    [InlineData("""{"query":"SELECT 1","useLegacySql":true}""")]
    public async Task Legacy_sql_should_be_refused_with_invalidQuery(string body)
    {
        var response = await Api.PostAsync($"bigquery/v2/projects/{P}/queries", body);

        Assert.Equal((400, "invalidQuery"), (response.Status, response.ErrorReason));
        Assert.Contains("Legacy SQL is not supported by the fake", response.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_select_should_return_schema_and_rows_as_strings()
    {
        await FlightsAsync();

        var response = await Api.QueryAsync("SELECT id, n, ts, fare FROM `demo.d.flights` WHERE id = 'a'");

        var json = response.Json!;
        Assert.True(json["jobComplete"]!.GetValue<bool>());
        Assert.Equal("1", json["totalRows"]!.GetValue<string>());
        Assert.Equal(["STRING", "INTEGER", "TIMESTAMP", "NUMERIC"], json["schema"]!["fields"]!.AsArray().Select(f => f!["type"]!.GetValue<string>()));
        Assert.Equal(["a", "1", "1.7357256E9", "1.5"], json["rows"]![0]!["f"]!.AsArray().Select(c => c!["v"]!.GetValue<string>()));
        Assert.Equal("DONE", (await Api.GetAsync($"bigquery/v2/projects/{P}/jobs/{json["jobReference"]!["jobId"]}"))
            .Json!["status"]!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetQueryResults_should_page_with_pageToken()
    {
        await FlightsAsync();

        var query = await Api.QueryAsync("SELECT id FROM d.flights ORDER BY id", ""","maxResults":2""");
        var jobId = query.Json!["jobReference"]!["jobId"]!.GetValue<string>();
        var next = await Api.GetAsync($"bigquery/v2/projects/{P}/queries/{jobId}?maxResults=2&pageToken={query.Json["pageToken"]}");

        Assert.Equal(2, query.Json["rows"]!.AsArray().Count);
        Assert.Equal("3", next.Json!["totalRows"]!.GetValue<string>());
        Assert.Equal("c", Assert.Single(next.Json["rows"]!.AsArray())!["f"]![0]!["v"]!.GetValue<string>());
        Assert.Null(next.Json["pageToken"]);
    }

    [Fact]
    public async Task A_QueryIncomplete_fault_should_send_the_client_to_getQueryResults()
    {
        await FlightsAsync();
        Server.Faults.Enqueue("bigquery.jobs.query", FakeFault.QueryIncomplete());

        var query = await Api.QueryAsync("SELECT COUNT(*) AS c FROM d.flights");
        var results = await Api.GetAsync($"bigquery/v2/projects/{P}/queries/{query.Json!["jobReference"]!["jobId"]}?location=US");

        Assert.False(query.Json["jobComplete"]!.GetValue<bool>());
        Assert.Null(query.Json["rows"]);
        Assert.Equal("3", results.Json!["rows"]![0]!["f"]![0]!["v"]!.GetValue<string>());
    }

    [Fact]
    public async Task Ddl_and_dml_should_change_the_catalog_and_report_counts()
    {
        await FlightsAsync();

        var view = await Api.QueryAsync("CREATE OR REPLACE VIEW `demo.d.dedup` AS SELECT id, MAX(n) AS n FROM `demo.d.flights` GROUP BY id");
        var deleted = await Api.QueryAsync("DELETE FROM d.flights WHERE n >= @min", ""","parameterMode":"NAMED","queryParameters":[{"name":"min","parameterType":{"type":"INT64"},"parameterValue":{"value":"2"}}]""");
        var viewJob = await Api.GetAsync($"bigquery/v2/projects/{P}/jobs/{view.Json!["jobReference"]!["jobId"]}");
        var table = await Api.GetAsync($"bigquery/v2/projects/{P}/datasets/d/tables/dedup");

        Assert.Equal("CREATE_VIEW", viewJob.Json!["statistics"]!["query"]!["statementType"]!.GetValue<string>());
        Assert.Equal("CREATE", viewJob.Json["statistics"]!["query"]!["ddlOperationPerformed"]!.GetValue<string>());
        Assert.Equal("VIEW", table.Json!["type"]!.GetValue<string>());
        Assert.Equal("2", deleted.Json!["numDmlAffectedRows"]!.GetValue<string>());
        Assert.Equal(1, Server.RowCount(P, "d", "flights"));
    }

    [Fact]
    public async Task A_syntax_error_should_be_invalidQuery_and_a_missing_table_notFound()
    {
        await Api.CreateDatasetAsync("d");

        var syntax = await Api.QueryAsync("SELEC 1");
        var missing = await Api.QueryAsync("SELECT * FROM d.nope");

        Assert.Equal((400, "invalidQuery"), (syntax.Status, syntax.ErrorReason));
        Assert.Equal((404, "notFound"), (missing.Status, missing.ErrorReason));
    }

    [Fact]
    public async Task A_query_job_via_jobs_insert_should_be_readable_through_getQueryResults()
    {
        await FlightsAsync();

        var job = await Api.PostAsync($"bigquery/v2/projects/{P}/jobs",
            """{"jobReference":{"projectId":"demo","jobId":"q1"},"configuration":{"query":{"query":"SELECT SUM(n) AS total FROM d.flights","useLegacySql":false}}}""");
        var results = await Api.GetAsync($"bigquery/v2/projects/{P}/queries/q1?location=US");

        Assert.Equal("DONE", job.Json!["status"]!["state"]!.GetValue<string>());
        Assert.Equal("INTEGER", results.Json!["schema"]!["fields"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("6", results.Json["rows"]![0]!["f"]![0]!["v"]!.GetValue<string>());
    }
}
