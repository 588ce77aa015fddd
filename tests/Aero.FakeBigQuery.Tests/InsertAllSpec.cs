using System.Text;

namespace Aero.FakeBigQuery.Tests;

public sealed class InsertAllSpec : FakeSpec
{
    private const string Fields = """
        [{"name":"flight_id","type":"STRING","mode":"REQUIRED"},{"name":"event_ts","type":"TIMESTAMP"},{"name":"fare","type":"NUMERIC"},
         {"name":"seats","type":"INTEGER"},{"name":"on_time","type":"BOOL"},{"name":"day","type":"DATE"},{"name":"tags","type":"STRING","mode":"REPEATED"}]
        """;

    private readonly ManualClock _clock;

    public InsertAllSpec()
        : this(new ManualClock())
    {
    }

    private InsertAllSpec(ManualClock clock)
        : base(new FakeBigQueryOptions { Clock = clock, MaxInsertAllRows = 3, MaxInsertAllBytes = 2_000 }) => _clock = clock;

    private async Task TableAsync()
    {
        await Api.CreateDatasetAsync("d");
        await Api.CreateTableAsync("d", "flights", Fields, ""","timePartitioning":{"type":"DAY"}""");
    }

    [Fact]
    public async Task Valid_rows_should_be_stored_with_their_types()
    {
        await TableAsync();

        var response = await Api.InsertAllAsync("d", "flights", """
            {"rows":[{"insertId":"a","json":{"flight_id":"AB123","event_ts":"2025-01-01 10:00:00","fare":"123.45","seats":"180","on_time":true,"day":"2025-01-01","tags":["x","y"]}},
                     {"insertId":"b","json":{"flight_id":"CD456","event_ts":1735725600.5,"seats":7}}]}
            """);

        Assert.Equal(200, response.Status);
        Assert.Equal("bigquery#tableDataInsertAllResponse", response.Json!["kind"]!.GetValue<string>());
        Assert.Null(response.Json["insertErrors"]);
        var rows = Server.Rows(P, "d", "flights");
        Assert.Equal(2, rows.Count);
        Assert.Equal("AB123", rows[0]["flight_id"]);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 10, 0, 0, TimeSpan.Zero), rows[0]["event_ts"]);
        Assert.Equal(123.45m, rows[0]["fare"]);
        Assert.Equal(180L, rows[0]["seats"]);
        Assert.Equal(true, rows[0]["on_time"]);
        Assert.Equal(new DateOnly(2025, 1, 1), rows[0]["day"]);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 10, 0, 0, 500, TimeSpan.Zero), rows[1]["event_ts"]);
        Assert.Equal(2, Server.Stats.RowsInserted(P, "d", "flights"));
    }

    // issue 13 §2: a column-partitioned table takes streamed rows from 3,650 days back to 365 ahead; load jobs take any.
    [Fact]
    public async Task A_streamed_row_whose_partitioning_date_is_outside_the_streaming_window_should_be_invalid()
    {
        await Api.CreateDatasetAsync("d");
        await Api.CreateTableAsync("d", "flights", Fields, ""","timePartitioning":{"type":"DAY","field":"event_ts"}""");
        var today = _clock.GetUtcNow().UtcDateTime.Date;
        string Row(DateTime at) => $$$"""{"json":{"flight_id":"x","event_ts":"{{{at:yyyy-MM-dd HH:mm:ss}}}"}}""";

        var response = await Api.InsertAllAsync("d", "flights", $$"""{"rows":[{{Row(today.AddDays(-3650))}},{{Row(today.AddDays(-3651))}},{{Row(today.AddDays(366))}}]}""");

        var errors = response.Json!["insertErrors"]!.AsArray();
        Assert.Equal(["stopped", "invalid", "invalid"], errors.Select(e => e!["errors"]![0]!["reason"]!.GetValue<string>()));
        Assert.Contains("outside the allowed bounds", errors[1]!["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(Server.Rows(P, "d", "flights"));
    }

    // issue 13 §2: for minutes after a schema change, insertAll does not know the new fields.
    [Fact]
    public async Task A_streamed_row_using_a_field_added_moments_ago_should_be_invalid_until_the_delay_has_passed()
    {
        await TableAsync();
        var patched = await Api.PatchAsync($"bigquery/v2/projects/{P}/datasets/d/tables/flights",
            $$$"""{"schema":{"fields":{{{Fields.TrimEnd().TrimEnd(']')}}},{"name":"gate","type":"STRING"}]}}""");
        Assert.Equal(200, patched.Status);
        const string Rows = """{"rows":[{"json":{"flight_id":"x","gate":"A1"}}]}""";

        var early = await Api.InsertAllAsync("d", "flights", Rows);
        _clock.Advance(new FakeBigQueryOptions().StreamingSchemaDelay);
        var later = await Api.InsertAllAsync("d", "flights", Rows);

        Assert.Equal("no such field: gate.", early.Json!["insertErrors"]![0]!["errors"]![0]!["message"]!.GetValue<string>());
        Assert.Null(later.Json!["insertErrors"]);
        Assert.Single(Server.Rows(P, "d", "flights"));
    }

    [Fact]
    public async Task One_invalid_row_should_reject_the_whole_request_with_the_others_stopped()
    {
        await TableAsync();

        var response = await Api.InsertAllAsync("d", "flights", """
            {"rows":[{"json":{"flight_id":"ok"}},{"json":{"flight_id":"bad","seats":"many"}},{"json":{"flight_id":"ok2"}}]}
            """);

        var errors = response.Json!["insertErrors"]!.AsArray();
        Assert.Equal([0, 1, 2], errors.Select(e => e!["index"]!.GetValue<int>()));
        Assert.Equal(["stopped", "invalid", "stopped"], errors.Select(e => e!["errors"]![0]!["reason"]!.GetValue<string>()));
        Assert.Equal("seats", errors[1]!["errors"]![0]!["location"]!.GetValue<string>());
        Assert.Equal(0, Server.RowCount(P, "d", "flights"));
    }

    [Fact]
    public async Task SkipInvalidRows_should_store_the_valid_rows_and_report_only_the_invalid_ones()
    {
        await TableAsync();

        var response = await Api.InsertAllAsync("d", "flights", """
            {"skipInvalidRows":true,"rows":[{"json":{"flight_id":"ok"}},{"json":{"seats":1}}]}
            """);

        var error = Assert.Single(response.Json!["insertErrors"]!.AsArray());
        Assert.Equal(1, error!["index"]!.GetValue<int>());
        Assert.Equal("Missing required field: flight_id.", error["errors"]![0]!["message"]!.GetValue<string>());
        Assert.Equal(1, Server.RowCount(P, "d", "flights"));
    }

    [Fact]
    public async Task An_unknown_field_should_be_invalid_unless_ignoreUnknownValues()
    {
        await TableAsync();

        var strict = await Api.InsertAllAsync("d", "flights", """{"rows":[{"json":{"flight_id":"a","gate":"B7"}}]}""");
        var lenient = await Api.InsertAllAsync("d", "flights", """{"ignoreUnknownValues":true,"rows":[{"json":{"flight_id":"a","gate":"B7"}}]}""");

        var error = strict.Json!["insertErrors"]![0]!["errors"]![0]!;
        Assert.Equal(("invalid", "no such field: gate."), (error["reason"]!.GetValue<string>(), error["message"]!.GetValue<string>()));
        Assert.Null(lenient.Json!["insertErrors"]);
        Assert.Equal(1, Server.RowCount(P, "d", "flights"));
    }

    [Theory]
    [InlineData("\"event_ts\":\"yesterday\"")]
    [InlineData("\"fare\":\"1.0000000001\"")]
    [InlineData("\"on_time\":\"maybe\"")]
    [InlineData("\"day\":\"2025-13-01\"")]
    [InlineData("\"seats\":1.5")]
    [InlineData("\"tags\":\"not-a-list\"")]
    public async Task A_value_of_the_wrong_type_should_make_the_row_invalid(string value)
    {
        await TableAsync();

        var response = await Api.InsertAllAsync("d", "flights", $$$"""{"rows":[{"json":{"flight_id":"a",{{{value}}} }}]}""");

        Assert.Equal("invalid", response.Json!["insertErrors"]![0]!["errors"]![0]!["reason"]!.GetValue<string>());
        Assert.Equal(0, Server.RowCount(P, "d", "flights"));
    }

    [Fact]
    public async Task A_request_over_the_byte_limit_should_be_rejected_whole()
    {
        await TableAsync();
        var big = new string('x', 2_100);

        var response = await Api.InsertAllAsync("d", "flights", $$$"""{"rows":[{"json":{"flight_id":"{{{big}}}"}}]}""");

        Assert.Equal((400, "badRequest", "Request payload size exceeds the limit: 2000 bytes."), (response.Status, response.ErrorReason, response.ErrorMessage));
        Assert.Equal(0, Server.RowCount(P, "d", "flights"));
    }

    [Fact]
    public async Task A_request_over_the_row_limit_should_be_rejected_whole()
    {
        await TableAsync();
        var rows = string.Join(",", Enumerable.Range(0, 4).Select(i => $$$"""{"json":{"flight_id":"f{{{i}}}"}}"""));

        var response = await Api.InsertAllAsync("d", "flights", $$"""{"rows":[{{rows}}]}""");

        Assert.Equal((400, "invalid"), (response.Status, response.ErrorReason));
        Assert.StartsWith("too many rows present in the request", response.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_resent_insertId_should_be_dropped_inside_the_window_and_stored_after_it()
    {
        await TableAsync();
        const string Body = """{"rows":[{"insertId":"flights-3-1048576","json":{"flight_id":"AB123"}}]}""";

        await Api.InsertAllAsync("d", "flights", Body);
        _clock.Advance(TimeSpan.FromSeconds(59));
        var resent = await Api.InsertAllAsync("d", "flights", Body);
        var countInside = Server.RowCount(P, "d", "flights");
        _clock.Advance(TimeSpan.FromSeconds(2));
        await Api.InsertAllAsync("d", "flights", Body);

        Assert.Null(resent.Json!["insertErrors"]);
        Assert.Equal(1, countInside);
        Assert.Equal(2, Server.RowCount(P, "d", "flights"));
    }

    [Fact]
    public async Task A_missing_table_should_be_404_notFound()
    {
        await Api.CreateDatasetAsync("d");

        var response = await Api.InsertAllAsync("d", "nope", """{"rows":[{"json":{"a":1}}]}""");

        Assert.Equal((404, "notFound", "Not found: Table demo:d.nope"), (response.Status, response.ErrorReason, response.ErrorMessage));
    }

    [Fact]
    public async Task A_partition_decorator_should_arrive_url_encoded_and_write_to_the_table()
    {
        await TableAsync();

        var response = await Api.InsertAllAsync("d", "flights$20250101", """{"rows":[{"json":{"flight_id":"a"}}]}""");

        Assert.Equal(200, response.Status);
        Assert.Equal(1, Server.RowCount(P, "d", "flights"));
    }

    [Fact]
    public async Task A_gzip_body_should_be_accepted()
    {
        await TableAsync();
        using var compressed = new MemoryStream();
        await using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes("""{"rows":[{"json":{"flight_id":"zipped"}}]}"""));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, $"bigquery/v2/projects/{P}/datasets/d/tables/flights/insertAll")
        {
            Content = new ByteArrayContent(compressed.ToArray()) { Headers = { ContentEncoding = { "gzip" }, ContentType = new("application/json") } },
        };
        var response = await Api.SendAsync(request);

        Assert.Equal(200, response.Status);
        Assert.Equal("zipped", Server.Rows(P, "d", "flights")[0]["flight_id"]);
    }

    [Fact]
    public async Task Tabledata_list_should_page_rows_in_f_v_form()
    {
        await TableAsync();
        await Api.InsertAllAsync("d", "flights", """{"rows":[{"json":{"flight_id":"a","seats":1,"event_ts":"2025-01-01T10:00:00Z"}},{"json":{"flight_id":"b","seats":2}},{"json":{"flight_id":"c"}}]}""");

        var first = await Api.GetAsync($"bigquery/v2/projects/{P}/datasets/d/tables/flights/data?maxResults=2");
        var token = first.Json!["pageToken"]!.GetValue<string>();
        var second = await Api.GetAsync($"bigquery/v2/projects/{P}/datasets/d/tables/flights/data?maxResults=2&pageToken={token}");

        Assert.Equal("3", first.Json["totalRows"]!.GetValue<string>());
        Assert.Equal("a", first.Json["rows"]![0]!["f"]![0]!["v"]!.GetValue<string>());
        Assert.Equal("1.7357256E9", first.Json["rows"]![0]!["f"]![1]!["v"]!.GetValue<string>());
        Assert.Equal("1", first.Json["rows"]![0]!["f"]![3]!["v"]!.GetValue<string>());
        Assert.Equal("c", Assert.Single(second.Json!["rows"]!.AsArray())!["f"]![0]!["v"]!.GetValue<string>());
        Assert.Null(second.Json["pageToken"]);
    }
}
