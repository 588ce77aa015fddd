namespace Aero.FakeBigQuery.Tests;

public sealed class DatasetAndTableSpec : FakeSpec
{
    private const string Fields = """[{"name":"id","type":"STRING","mode":"REQUIRED"},{"name":"ts","type":"TIMESTAMP"},{"name":"n","type":"INT64"}]""";

    private readonly ManualClock _clock;

    public DatasetAndTableSpec()
        : this(new ManualClock())
    {
    }

    private DatasetAndTableSpec(ManualClock clock)
        : base(new FakeBigQueryOptions { Clock = clock }) => _clock = clock;

    [Fact]
    public async Task A_request_without_a_bearer_token_should_get_401()
    {
        using var anonymous = new HttpClient { BaseAddress = Server.Endpoint };

        using var response = await anonymous.GetAsync(new Uri($"bigquery/v2/projects/{P}/datasets", UriKind.Relative));

        Assert.Equal(401, (int)response.StatusCode);
    }

    [Fact]
    public async Task Datasets_should_be_created_listed_and_conflict_when_created_twice()
    {
        var created = await Api.CreateDatasetAsync("flights");
        var again = await Api.CreateDatasetAsync("flights");
        var got = await Api.GetAsync($"bigquery/v2/projects/{P}/datasets/flights");
        var list = await Api.GetAsync($"bigquery/v2/projects/{P}/datasets");
        var missing = await Api.GetAsync($"bigquery/v2/projects/{P}/datasets/nope");

        Assert.Equal(200, created.Status);
        Assert.Equal("US", created.Json!["location"]!.GetValue<string>());
        Assert.Equal((409, "duplicate", "Already Exists: Dataset demo:flights"), (again.Status, again.ErrorReason, again.ErrorMessage));
        Assert.Equal("ALREADY_EXISTS", again.Json!["error"]!["status"]!.GetValue<string>());
        Assert.Equal("demo:flights", got.Json!["id"]!.GetValue<string>());
        Assert.Equal("flights", list.Json!["datasets"]![0]!["datasetReference"]!["datasetId"]!.GetValue<string>());
        Assert.Equal((404, "notFound"), (missing.Status, missing.ErrorReason));
        Assert.Equal(1, Server.Stats.ConflictsServed);
    }

    [Fact]
    public async Task A_table_should_keep_its_schema_partitioning_and_clustering()
    {
        await Api.CreateDatasetAsync("d");

        var created = await Api.CreateTableAsync("d", "events", Fields,
            ""","timePartitioning":{"type":"DAY","field":"ts","expirationMs":"86400000"},"clustering":{"fields":["id"]}""");
        var got = await Api.GetAsync($"bigquery/v2/projects/{P}/datasets/d/tables/events");
        var again = await Api.CreateTableAsync("d", "events", Fields);

        Assert.Equal(200, created.Status);
        var table = got.Json!;
        Assert.Equal(["id", "ts", "n"], table["schema"]!["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()));
        Assert.Equal(["REQUIRED", "NULLABLE", "NULLABLE"], table["schema"]!["fields"]!.AsArray().Select(f => f!["mode"]!.GetValue<string>()));
        Assert.Equal("INT64", table["schema"]!["fields"]![2]!["type"]!.GetValue<string>());
        Assert.Equal("ts", table["timePartitioning"]!["field"]!.GetValue<string>());
        Assert.Equal("86400000", table["timePartitioning"]!["expirationMs"]!.GetValue<string>());
        Assert.Equal("id", table["clustering"]!["fields"]![0]!.GetValue<string>());
        Assert.Equal("0", table["numRows"]!.GetValue<string>());
        Assert.Equal((409, "duplicate", "Already Exists: Table demo:d.events"), (again.Status, again.ErrorReason, again.ErrorMessage));
    }

    [Fact]
    public async Task Patch_should_add_nullable_fields_and_relax_required_ones()
    {
        await Api.CreateDatasetAsync("d");
        await Api.CreateTableAsync("d", "t", Fields);

        var patched = await Api.PatchAsync($"bigquery/v2/projects/{P}/datasets/d/tables/t",
            """{"schema":{"fields":[{"name":"id","type":"STRING","mode":"NULLABLE"},{"name":"ts","type":"TIMESTAMP"},{"name":"n","type":"INT64"},{"name":"extra","type":"JSON"}]},"description":"v2"}""");
        // insertAll learns of a new field only a while after the change.
        _clock.Advance(new FakeBigQueryOptions().StreamingSchemaDelay);
        var insert = await Api.InsertAllAsync("d", "t", """{"rows":[{"json":{"extra":{"k":[1,2]}}}]}""");

        Assert.Equal(200, patched.Status);
        Assert.Equal("NULLABLE", patched.Json!["schema"]!["fields"]![0]!["mode"]!.GetValue<string>());
        Assert.Equal("extra", patched.Json!["schema"]!["fields"]![3]!["name"]!.GetValue<string>());
        Assert.Equal("v2", patched.Json!["description"]!.GetValue<string>());
        Assert.Null(insert.Json!["insertErrors"]);
        Assert.Equal("""{"k":[1,2]}""", Server.Rows(P, "d", "t")[0]["extra"]);
    }

    [Theory]
    [InlineData("""[{"name":"id","type":"STRING","mode":"REQUIRED"},{"name":"ts","type":"TIMESTAMP"},{"name":"n","type":"INT64"},{"name":"x","type":"STRING","mode":"REQUIRED"}]""", "Cannot add required fields")]
    [InlineData("""[{"name":"id","type":"STRING","mode":"REQUIRED"},{"name":"ts","type":"TIMESTAMP"}]""", "Field n is missing in new schema")]
    [InlineData("""[{"name":"id","type":"STRING","mode":"REQUIRED"},{"name":"ts","type":"TIMESTAMP"},{"name":"n","type":"STRING"}]""", "Field n has changed type from INTEGER to STRING")]
    [InlineData("""[{"name":"id","type":"STRING","mode":"REQUIRED"},{"name":"ts","type":"TIMESTAMP","mode":"REQUIRED"},{"name":"n","type":"INT64"}]""", "Field ts has changed mode from NULLABLE to REQUIRED")]
    public async Task Patch_should_reject_incompatible_schema_changes(string fields, string message)
    {
        await Api.CreateDatasetAsync("d");
        await Api.CreateTableAsync("d", "t", Fields);

        var patched = await Api.PatchAsync($"bigquery/v2/projects/{P}/datasets/d/tables/t", $$$"""{"schema":{"fields":{{{fields}}} }}""");

        Assert.Equal((400, "invalid"), (patched.Status, patched.ErrorReason));
        Assert.Contains(message, patched.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tables_should_be_listed_and_deleted()
    {
        await Api.CreateDatasetAsync("d");
        await Api.CreateTableAsync("d", "a", Fields);
        await Api.CreateTableAsync("d", "b", Fields);

        var deleted = await Api.DeleteAsync($"bigquery/v2/projects/{P}/datasets/d/tables/a");
        var list = await Api.GetAsync($"bigquery/v2/projects/{P}/datasets/d/tables");
        var gone = await Api.GetAsync($"bigquery/v2/projects/{P}/datasets/d/tables/a");

        Assert.Equal(204, deleted.Status);
        Assert.Equal(1, list.Json!["totalItems"]!.GetValue<int>());
        Assert.Equal("demo:d.b", list.Json!["tables"]![0]!["id"]!.GetValue<string>());
        Assert.Equal((404, "notFound", "Not found: Table demo:d.a"), (gone.Status, gone.ErrorReason, gone.ErrorMessage));
    }

    [Fact]
    public async Task A_view_made_by_tables_insert_should_query_its_table_and_conflict_when_made_again()
    {
        await Api.CreateDatasetAsync("d");
        await Api.CreateTableAsync("d", "t", Fields);
        await Api.InsertAllAsync("d", "t", """{"rows":[{"json":{"id":"a","n":1}},{"json":{"id":"a","n":1}},{"json":{"id":"b","n":2}}]}""");
        const string View = """{"tableReference":{"projectId":"demo","datasetId":"d","tableId":"latest"},"view":{"query":"SELECT id, n FROM `demo.d.t` QUALIFY ROW_NUMBER() OVER (PARTITION BY id) = 1","useLegacySql":false}}""";

        var created = await Api.PostAsync($"bigquery/v2/projects/{P}/datasets/d/tables", View);
        var again = await Api.PostAsync($"bigquery/v2/projects/{P}/datasets/d/tables", View);
        var count = await Api.QueryAsync("SELECT COUNT(*) AS c FROM d.latest");

        Assert.Equal("VIEW", created.Json!["type"]!.GetValue<string>());
        Assert.Equal(["id", "n"], created.Json!["schema"]!["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()));
        Assert.Equal(409, again.Status);
        Assert.Equal("2", count.Json!["rows"]![0]!["f"]![0]!["v"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_discovery_document_should_be_served_with_the_fakes_root_url()
    {
        var rest = await Api.GetAsync("$discovery/rest?version=v2");
        var discovery = await Api.GetAsync("discovery/v1/apis/bigquery/v2/rest");

        Assert.Equal(Server.Endpoint.ToString(), rest.Json!["rootUrl"]!.GetValue<string>());
        Assert.Equal("bigquery:v2", discovery.Json!["id"]!.GetValue<string>());
    }
}
