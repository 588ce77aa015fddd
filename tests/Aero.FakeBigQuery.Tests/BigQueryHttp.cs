using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Aero.FakeBigQuery.Tests;

/// <summary>Plain HttpClient calls against the fake, with a Bearer token, as any BigQuery REST client would send them.</summary>
public sealed class BigQueryHttp : IDisposable
{
    public const string Project = "demo";

    private readonly HttpClient _http;

    public BigQueryHttp(FakeBigQueryServer server, TimeSpan? timeout = null)
    {
        _http = new HttpClient { BaseAddress = server.Endpoint, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "any-token");
    }

    public HttpClient Client => _http;

    public Task<ApiResult> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<ApiResult> PostAsync(string path, string json) => SendAsync(HttpMethod.Post, path, json);

    public Task<ApiResult> PatchAsync(string path, string json) => SendAsync(HttpMethod.Patch, path, json);

    public Task<ApiResult> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path, null);

    public async Task<ApiResult> SendAsync(HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await SendAsync(request);
    }

    public async Task<ApiResult> SendAsync(HttpRequestMessage request)
    {
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/json" && text.Length > 0)
        {
            json = JsonNode.Parse(text);
        }

        return new ApiResult((int)response.StatusCode, json, text, response.Headers, response.Content.Headers.ContentType?.MediaType);
    }

    public Task<ApiResult> CreateDatasetAsync(string dataset) =>
        PostAsync($"bigquery/v2/projects/{Project}/datasets", $$$"""{"datasetReference":{"projectId":"{{{Project}}}","datasetId":"{{{dataset}}}"}}""");

    /// <param name="fields">The JSON array of TableFieldSchema, e.g. [{"name":"a","type":"INTEGER"}].</param>
    public Task<ApiResult> CreateTableAsync(string dataset, string table, string fields, string extra = "") =>
        PostAsync($"bigquery/v2/projects/{Project}/datasets/{dataset}/tables",
            $$"""{"tableReference":{"projectId":"{{Project}}","datasetId":"{{dataset}}","tableId":"{{table}}"},"schema":{"fields":{{fields}}}{{extra}}}""");

    public Task<ApiResult> InsertAllAsync(string dataset, string table, string body) =>
        PostAsync($"bigquery/v2/projects/{Project}/datasets/{dataset}/tables/{Uri.EscapeDataString(table)}/insertAll", body);

    public Task<ApiResult> QueryAsync(string sql, string extra = "") =>
        PostAsync($"bigquery/v2/projects/{Project}/queries", $$"""{"query":{{JsonSerializer.Serialize(sql)}},"useLegacySql":false{{extra}}}""");

    /// <summary>jobs.insert with uploadType=multipart: part 1 the Job JSON, part 2 the NDJSON media.</summary>
    public async Task<ApiResult> LoadMultipartAsync(string jobJson, string media)
    {
        var content = new MultipartContent("related", "fake_boundary_42");
        content.Add(new StringContent(jobJson, Encoding.UTF8, "application/json"));
        content.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(media)) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } });
        using var request = new HttpRequestMessage(HttpMethod.Post, $"upload/bigquery/v2/projects/{Project}/jobs?uploadType=multipart") { Content = content };
        return await SendAsync(request);
    }

    public static string LoadJob(string jobId, string dataset, string table, string extra = "", string location = "US") =>
        $$$"""{"jobReference":{"projectId":"{{{Project}}}","jobId":"{{{jobId}}}","location":"{{{location}}}"},"configuration":{"load":{"destinationTable":{"projectId":"{{{Project}}}","datasetId":"{{{dataset}}}","tableId":"{{{table}}}"},"sourceFormat":"NEWLINE_DELIMITED_JSON"{{{extra}}} } } }""";

    public void Dispose() => _http.Dispose();
}
