using System.Text.Json;
using System.Text.Json.Nodes;
using Aero.FakeBigQuery;
using Aero.Warehouse.BigQuery;
using Akka.Configuration;
using Xunit;
using static Aero.Warehouse.Tests.BigQuery.BigQueryTestData;

namespace Aero.Warehouse.Tests.BigQuery;

public sealed class BigQueryClientSpec : FakeBigQuerySpec
{
    [Fact]
    public async Task A_partition_decorator_should_reach_its_table_encoded()
    {
        await using var warehouse = await BigQueryWarehouse.OpenAsync(Settings(Fake));
        await using var client = await BigQueryTestClient.CreateAsync(Settings(Fake));
        var row = new StreamedRow("decorated-1", BigQueryRows.Flight(Row(0, 0), ClusterId, 1, DateTime.UtcNow));

        var table = new TableReference(ProjectId, DatasetId, $"{WarehouseTables.FlightsRaw}${DateTime.UtcNow:yyyyMMdd}");
        var response = await client.Client.InsertAllAsync(table, [row], CancellationToken.None);

        Assert.Null(response.InsertErrors);
        Assert.Equal(1, Fake.RowCount(ProjectId, DatasetId, WarehouseTables.FlightsRaw));
    }

    [Fact]
    public async Task A_job_without_data_should_run_to_done()
    {
        await using var warehouse = await BigQueryWarehouse.OpenAsync(Settings(Fake));
        await using var client = await BigQueryTestClient.CreateAsync(Settings(Fake));
        var job = new Job(new JobReference(ProjectId, "aero_spec_query", "US"), new JobConfiguration(null, Query: new JobConfigurationQuery("SELECT 1", UseLegacySql: false)));

        await client.Client.InsertJobAsync(job, CancellationToken.None);
        var done = await client.Client.GetJobAsync(ProjectId, "aero_spec_query", "US", CancellationToken.None);

        Assert.Equal("DONE", done?.Status?.State);
        Assert.Null(done?.Status?.ErrorResult);
        Assert.Null(await client.Client.GetJobAsync(ProjectId, "no_such_job", "US", CancellationToken.None));
    }

    [Fact]
    public async Task A_query_result_of_many_pages_should_come_back_whole()
    {
        await using var warehouse = await BigQueryWarehouse.OpenAsync(Settings(Fake));
        await warehouse.WriteAsync(Batch(Rows(0, 0, 30)));
        await using var client = await BigQueryTestClient.CreateAsync(Settings(Fake));
        Fake.Faults.Enqueue("bigquery.jobs.query", FakeFault.QueryIncomplete());
        var request = new QueryRequest(
            $"SELECT kafka_offset FROM `{ProjectId}.{DatasetId}.flights_raw` ORDER BY kafka_offset", false, "US", 10_000, null, null, null, MaxResults: 7);

        var (_, rows, _) = await client.Client.QueryAsync(ProjectId, request, CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 30).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), rows.Select(r => r.F![0].V.GetString()));
        Assert.True(Fake.Stats.Requests("bigquery.jobs.getQueryResults") >= 5, "not paged");
    }

    [Fact]
    public async Task The_factory_should_open_bigquery_from_configuration()
    {
        var config = ConfigurationFactory.ParseString($$"""
            aero.warehouse {
              kind = bigquery
              bigquery { endpoint = "{{Fake.Endpoint}}", project-id = {{ProjectId}}, access-token = "{{Token}}", mode = streaming }
            }
            """);

        await using var warehouse = await Warehouses.OpenAsync(config);
        await warehouse.WriteAsync(Batch(Rows(0, 0, 3)));

        Assert.StartsWith($"BigQuery {ProjectId}.aero (US, streaming)", warehouse.Description, StringComparison.Ordinal);
        Assert.Equal(3, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
    }

    [Fact]
    public void A_column_read_and_patched_back_should_keep_what_aero_does_not_model()
    {
        // tables.patch replaces the whole field list: a nested field or a policy tag dropped on the way back is lost.
        const string column = """{"name":"notes","type":"RECORD","mode":"NULLABLE","fields":[{"name":"text","type":"STRING"}],"policyTags":{"names":["projects/p/taxonomies/1/policyTags/2"]}}""";

        var field = JsonSerializer.Deserialize(column, BigQueryJsonContext.Default.Table.Options.GetTypeInfo(typeof(TableFieldSchema)))!;
        var written = JsonNode.Parse(JsonSerializer.Serialize(field, BigQueryJsonContext.Default.Table.Options.GetTypeInfo(typeof(TableFieldSchema))));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(column), written), written?.ToJsonString());
    }

    [Fact]
    public void The_reference_configuration_should_keep_within_bigquery_limits()
    {
        var settings = BigQuerySettings.Create();

        Assert.Equal(BigQueryWriteMode.Load, settings.Mode);
        Assert.Equal(new Uri("https://bigquery.googleapis.com/"), settings.Endpoint);
        // At most one load job per table every 2 minutes: 720 a day, under BigQuery's 1,500.
        Assert.True(TimeSpan.FromDays(1) / settings.LoadInterval <= 750);
        Assert.Equal(500, settings.StreamingMaxRows);
        Assert.Equal(9 * 1024 * 1024, settings.StreamingMaxBytes);
        Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(32)), (settings.InitialBackoff, settings.MaxBackoff));
        Assert.Throws<ConfigurationException>(() => settings.WithStreamingLimits(50_001, 1024));
        Assert.Throws<ConfigurationException>(() => settings.WithUploadChunkBytes(1000));
    }

    [Fact]
    public async Task A_missing_project_or_key_file_should_be_a_clear_error()
    {
        await Assert.ThrowsAsync<ConfigurationException>(() => BigQueryWarehouse.OpenAsync(Settings(Fake).WithProjectId("")));

        var missing = Path.Combine(Path.GetTempPath(), $"aero-missing-{Guid.NewGuid():N}.json");
        var error = await Assert.ThrowsAnyAsync<Exception>(() => BigQueryWarehouse.OpenAsync(Settings(Fake).WithAccessToken("").WithCredentialsFile(missing)));
        Assert.IsAssignableFrom<IOException>(error);
    }
}
