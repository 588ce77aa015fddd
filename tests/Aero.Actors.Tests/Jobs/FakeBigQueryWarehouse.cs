using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Aero.FakeBigQuery;
using Aero.Warehouse.BigQuery;
using Aero.Warehouse.Tests.BigQuery;
using Akka.Event;
using Xunit;

namespace Aero.Actors.Tests.Jobs;

/// <summary>
/// A fake BigQuery and a BigQuery warehouse on it, for the jobs' BigQuery specs; disposing the one that started the
/// fake stops it and checks the contract.
/// </summary>
internal sealed class FakeBigQueryWarehouse : IAsyncDisposable
{
    public const string Project = BigQueryTestData.ProjectId;
    public const string Dataset = BigQueryTestData.DatasetId;

    private readonly bool _ownsFake;

    private FakeBigQueryWarehouse(FakeBigQueryServer fake, BigQueryWarehouse warehouse, bool ownsFake)
    {
        Fake = fake;
        Warehouse = warehouse;
        _ownsFake = ownsFake;
    }

    public FakeBigQueryServer Fake { get; }

    public BigQueryWarehouse Warehouse { get; }

    public static async Task<FakeBigQueryWarehouse> StartAsync(FakeBigQueryOptions? options = null) =>
        await OpenAsync(await FakeBigQueryServer.StartAsync(options), ownsFake: true);

    /// <summary>Another warehouse (another coordinator's) on a fake already started.</summary>
    public static Task<FakeBigQueryWarehouse> ConnectAsync(FakeBigQueryServer fake) => OpenAsync(fake, ownsFake: false);

    private static async Task<FakeBigQueryWarehouse> OpenAsync(FakeBigQueryServer fake, bool ownsFake)
    {
        return new FakeBigQueryWarehouse(fake, await BigQueryWarehouse.OpenAsync(BigQueryTestData.Settings(fake), NoLogger.Instance), ownsFake);
    }

    /// <summary>A table's rows as the fake holds them.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object?>> Rows(string table) => Fake.Rows(Project, Dataset, table);

    /// <summary>Every job of the project, through jobs.list.</summary>
    public async Task<JsonArray> JobsAsync()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Fake.Endpoint, $"bigquery/v2/projects/{Project}/jobs"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", BigQueryTestData.Token);
        using var response = await http.SendAsync(request);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["jobs"]!.AsArray();
    }

    public async ValueTask DisposeAsync()
    {
        await Warehouse.DisposeAsync();
        if (!_ownsFake)
        {
            return;
        }

        var violations = Fake.ContractViolations;
        await Fake.DisposeAsync();
        Assert.Empty(violations);
    }
}
