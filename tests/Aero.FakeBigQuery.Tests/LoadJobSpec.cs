using System.Net.Http.Headers;
using System.Text;

namespace Aero.FakeBigQuery.Tests;

public sealed class LoadJobSpec : FakeSpec
{
    private const string Fields = """[{"name":"id","type":"STRING","mode":"REQUIRED"},{"name":"n","type":"INTEGER"}]""";

    private async Task TableAsync()
    {
        await Api.CreateDatasetAsync("d");
        await Api.CreateTableAsync("d", "t", Fields);
    }

    [Fact]
    public async Task A_multipart_ndjson_load_should_append_rows_and_report_statistics_as_strings()
    {
        await TableAsync();

        var job = await Api.LoadMultipartAsync(BigQueryHttp.LoadJob("load_1", "d", "t"), "{\"id\":\"a\",\"n\":1}\n{\"id\":\"b\",\"n\":2}\n");
        var polled = await Api.GetAsync($"bigquery/v2/projects/{P}/jobs/load_1?location=US");

        Assert.Equal(200, job.Status);
        Assert.Equal("DONE", polled.Json!["status"]!["state"]!.GetValue<string>());
        Assert.Null(polled.Json["status"]!["errorResult"]);
        Assert.Equal("2", polled.Json["statistics"]!["load"]!["outputRows"]!.GetValue<string>());
        Assert.Equal("1", polled.Json["statistics"]!["load"]!["inputFiles"]!.GetValue<string>());
        Assert.Equal(["a", "b"], Server.Rows(P, "d", "t").Select(r => r["id"]));
        Assert.Equal(1, Server.Stats.LoadJobs(P, "d", "t"));
    }

    [Fact]
    public async Task A_load_with_a_bad_row_should_fail_atomically_with_an_errorResult()
    {
        await TableAsync();

        await Api.LoadMultipartAsync(BigQueryHttp.LoadJob("load_bad", "d", "t"), "{\"id\":\"a\",\"n\":1}\n{\"n\":2}\n{\"id\":\"c\",\"n\":\"x\"}\n");
        var polled = await Api.GetAsync($"bigquery/v2/projects/{P}/jobs/load_bad?location=US");

        var status = polled.Json!["status"]!;
        Assert.Equal("DONE", status["state"]!.GetValue<string>());
        Assert.Equal("invalid", status["errorResult"]!["reason"]!.GetValue<string>());
        Assert.Contains("Rows: 3; errors: 2", status["errorResult"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        // errors[]: one per bad row, then the final message, as BigQuery lists them.
        Assert.Equal(3, status["errors"]!.AsArray().Count);
        Assert.Equal(0, Server.RowCount(P, "d", "t"));
    }

    [Fact]
    public async Task MaxBadRecords_should_let_a_load_skip_that_many_bad_rows()
    {
        await TableAsync();

        await Api.LoadMultipartAsync(BigQueryHttp.LoadJob("load_lenient", "d", "t", ""","maxBadRecords":1"""), "{\"id\":\"a\"}\n{\"n\":2}\n");
        var polled = await Api.GetAsync($"bigquery/v2/projects/{P}/jobs/load_lenient");

        Assert.Null(polled.Json!["status"]!["errorResult"]);
        Assert.Equal("1", polled.Json["statistics"]!["load"]!["badRecords"]!.GetValue<string>());
        Assert.Equal(1, Server.RowCount(P, "d", "t"));
    }

    [Fact]
    public async Task A_resent_job_id_should_get_409_duplicate_and_load_once()
    {
        await TableAsync();
        var job = BigQueryHttp.LoadJob("aero_flights_3_1000_1999_a0", "d", "t", location: "EU");

        await Api.LoadMultipartAsync(job, "{\"id\":\"a\"}\n");
        var again = await Api.LoadMultipartAsync(job, "{\"id\":\"a\"}\n");
        var wrongLocation = await Api.GetAsync($"bigquery/v2/projects/{P}/jobs/aero_flights_3_1000_1999_a0?location=US");
        var rightLocation = await Api.GetAsync($"bigquery/v2/projects/{P}/jobs/aero_flights_3_1000_1999_a0?location=EU");

        Assert.Equal((409, "duplicate", "Already Exists: Job demo:EU.aero_flights_3_1000_1999_a0"), (again.Status, again.ErrorReason, again.ErrorMessage));
        Assert.Equal(404, wrongLocation.Status);
        Assert.Equal("EU", rightLocation.Json!["jobReference"]!["location"]!.GetValue<string>());
        Assert.Equal(1, Server.RowCount(P, "d", "t"));
        Assert.Equal(1, Server.Stats.ConflictsServed);
    }

    [Fact]
    public async Task Write_and_create_dispositions_should_be_honoured()
    {
        await TableAsync();
        await Api.LoadMultipartAsync(BigQueryHttp.LoadJob("j1", "d", "t"), "{\"id\":\"a\"}\n{\"id\":\"b\"}\n");

        await Api.LoadMultipartAsync(BigQueryHttp.LoadJob("j2", "d", "t", ""","writeDisposition":"WRITE_TRUNCATE" """), "{\"id\":\"c\"}\n");
        await Api.LoadMultipartAsync(BigQueryHttp.LoadJob("j3", "d", "t", ""","writeDisposition":"WRITE_EMPTY" """), "{\"id\":\"d\"}\n");
        await Api.LoadMultipartAsync(BigQueryHttp.LoadJob("j4", "d", "missing", ""","createDisposition":"CREATE_NEVER" """), "{\"id\":\"e\"}\n");
        await Api.LoadMultipartAsync(
            BigQueryHttp.LoadJob("j5", "d", "created", $$""","schema":{"fields":{{Fields}}}"""), "{\"id\":\"f\",\"n\":6}\n");
        var empty = await Api.GetAsync($"bigquery/v2/projects/{P}/jobs/j3");
        var never = await Api.GetAsync($"bigquery/v2/projects/{P}/jobs/j4");

        Assert.Equal(["c"], Server.Rows(P, "d", "t").Select(r => r["id"]));
        Assert.Equal("duplicate", empty.Json!["status"]!["errorResult"]!["reason"]!.GetValue<string>());
        Assert.Equal("notFound", never.Json!["status"]!["errorResult"]!["reason"]!.GetValue<string>());
        Assert.Equal(6L, Server.Rows(P, "d", "created")[0]["n"]);
    }

    [Fact]
    public async Task SchemaUpdateOptions_should_allow_adding_fields_only_when_asked()
    {
        await TableAsync();
        const string Wider = ""","schema":{"fields":[{"name":"id","type":"STRING","mode":"REQUIRED"},{"name":"n","type":"INTEGER"},{"name":"gate","type":"STRING"}]}""";

        await Api.LoadMultipartAsync(BigQueryHttp.LoadJob("narrow", "d", "t", Wider), "{\"id\":\"a\",\"gate\":\"B7\"}\n");
        await Api.LoadMultipartAsync(BigQueryHttp.LoadJob("wide", "d", "t", Wider + ""","schemaUpdateOptions":["ALLOW_FIELD_ADDITION"]"""), "{\"id\":\"a\",\"gate\":\"B7\"}\n");
        var refused = await Api.GetAsync($"bigquery/v2/projects/{P}/jobs/narrow");
        var table = await Api.GetAsync($"bigquery/v2/projects/{P}/datasets/d/tables/t");

        Assert.Contains("Cannot add fields", refused.Json!["status"]!["errorResult"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(3, table.Json!["schema"]!["fields"]!.AsArray().Count);
        Assert.Equal("B7", Assert.Single(Server.Rows(P, "d", "t"))["gate"]);
    }

    [Fact]
    public async Task A_resumable_upload_should_answer_308_with_Range_until_the_last_chunk()
    {
        await TableAsync();
        var media = Encoding.UTF8.GetBytes("{\"id\":\"a\",\"n\":1}\n{\"id\":\"b\",\"n\":2}\n");
        using var open = new HttpRequestMessage(HttpMethod.Post, $"upload/bigquery/v2/projects/{P}/jobs?uploadType=resumable")
        {
            Content = new StringContent(BigQueryHttp.LoadJob("resumable_1", "d", "t"), Encoding.UTF8, "application/json"),
        };
        open.Headers.Add("X-Upload-Content-Type", "application/octet-stream");

        var opened = await Api.SendAsync(open);
        var session = opened.Headers.Location!;
        var first = await PutAsync(session, media[..10], $"bytes 0-9/{media.Length}");
        var progress = await PutAsync(session, [], $"bytes */{media.Length}");
        var last = await PutAsync(session, media[10..], $"bytes 10-{media.Length - 1}/{media.Length}");

        Assert.Equal(200, opened.Status);
        Assert.Equal(308, first.Status);
        Assert.Equal("bytes=0-9", first.Headers.GetValues("Range").Single());
        Assert.Equal("bytes=0-9", progress.Headers.GetValues("Range").Single());
        Assert.Equal(200, last.Status);
        Assert.Equal("resumable_1", last.Json!["jobReference"]!["jobId"]!.GetValue<string>());
        Assert.Equal(2, Server.RowCount(P, "d", "t"));
    }

    private async Task<ApiResult> PutAsync(Uri session, byte[] bytes, string contentRange)
    {
        using var put = new HttpRequestMessage(HttpMethod.Put, session) { Content = new ByteArrayContent(bytes) };
        put.Content.Headers.TryAddWithoutValidation("Content-Range", contentRange);
        put.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await Api.SendAsync(put);
    }

    [Fact]
    public async Task A_csv_load_should_map_columns_by_position()
    {
        await TableAsync();
        var job = BigQueryHttp.LoadJob("csv_1", "d", "t").Replace("NEWLINE_DELIMITED_JSON\"", "CSV\",\"skipLeadingRows\":1", StringComparison.Ordinal);

        await Api.LoadMultipartAsync(job, "id,n\n\"a,1\",1\nb,\n");

        Assert.Equal(["a,1", "b"], Server.Rows(P, "d", "t").Select(r => r["id"]));
        Assert.Null(Server.Rows(P, "d", "t")[1]["n"]);
    }
}
