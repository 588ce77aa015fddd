using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Akka.Event;

namespace Aero.Warehouse.BigQuery;

/// <summary>
/// BigQuery v2 over REST: the calls Aero needs, each retried by <see cref="BigQueryRetry"/>. Every path segment is
/// URL-encoded (<c>table$20250101</c> goes out as <c>table%2420250101</c>); the bearer token is set per request and
/// never copied into an error.
/// </summary>
internal sealed class BigQueryClient : IDisposable
{
    private static readonly BigQueryJsonContext Json = BigQueryJsonContext.Default;
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "UTF-8" };

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly BigQueryTokenSource _tokens;
    private readonly BigQueryRetry _retry;
    private readonly TimeSpan _pollInterval;
    private readonly TimeProvider _time;
    private readonly ILoggingAdapter _log;

    public BigQueryClient(BigQuerySettings settings, BigQueryTokenSource tokens, BigQueryRetry retry, ILoggingAdapter log, TimeProvider time)
    {
        _log = log;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = settings.AttemptTimeout,
        };
        var root = settings.Endpoint.AbsoluteUri;
        _endpoint = new Uri(root.EndsWith('/') ? root : root + "/");
        _tokens = tokens;
        _retry = retry;
        _pollInterval = settings.JobPollInterval;
        _time = time;
    }

    /// <summary>The dataset, or null when it does not exist.</summary>
    public Task<Dataset?> GetDatasetAsync(string project, string dataset, CancellationToken cancellationToken) =>
        OrNullWhenNotFound(SendAsync("datasets.get", HttpMethod.Get, Api("projects", project, "datasets", dataset), null, Json.Dataset, cancellationToken));

    public Task<Dataset> InsertDatasetAsync(Dataset dataset, CancellationToken cancellationToken) =>
        SendAsync("datasets.insert", HttpMethod.Post, Api("projects", dataset.DatasetReference.ProjectId, "datasets"), JsonBody(dataset, Json.Dataset), Json.Dataset, cancellationToken);

    /// <summary>The table or view, or null when it does not exist.</summary>
    public Task<Table?> GetTableAsync(TableReference table, CancellationToken cancellationToken) =>
        OrNullWhenNotFound(SendAsync("tables.get", HttpMethod.Get, TablePath(table), null, Json.Table, cancellationToken));

    public Task<Table> InsertTableAsync(Table table, CancellationToken cancellationToken)
    {
        var reference = table.TableReference;
        return SendAsync("tables.insert", HttpMethod.Post, Api("projects", reference.ProjectId, "datasets", reference.DatasetId, "tables"), JsonBody(table, Json.Table), Json.Table, cancellationToken);
    }

    /// <summary>Replaces only the fields <paramref name="patch"/> carries (for a schema: the whole field list).</summary>
    public Task<Table> PatchTableAsync(Table patch, CancellationToken cancellationToken) =>
        SendAsync("tables.patch", HttpMethod.Patch, TablePath(patch.TableReference), JsonBody(patch, Json.Table), Json.Table, cancellationToken);

    /// <summary>
    /// Streams rows (each a JSON object, already serialized) with their insertIds. HTTP 200 is not success on its own:
    /// the caller must look at <see cref="InsertAllResponse.InsertErrors"/>.
    /// </summary>
    public Task<InsertAllResponse> InsertAllAsync(TableReference table, IReadOnlyList<StreamedRow> rows, CancellationToken cancellationToken) =>
        SendAsync("tabledata.insertAll", HttpMethod.Post, TablePath(table) + "/insertAll", () => InsertAllBody(rows), Json.InsertAllResponse, cancellationToken);

    /// <summary>The body size of an insertAll request with these rows, to keep requests under the size limit.</summary>
    public static int InsertAllSize(IEnumerable<StreamedRow> rows) => 64 + rows.Sum(r => r.Json.Length + Encoding.UTF8.GetByteCount(r.InsertId) + 24);

    /// <summary>A job without data (a query, a load from Cloud Storage).</summary>
    public Task<Job> InsertJobAsync(Job job, CancellationToken cancellationToken) =>
        SendAsync("jobs.insert", HttpMethod.Post, Api("projects", job.JobReference.ProjectId, "jobs"), JsonBody(job, Json.Job), Json.Job, cancellationToken);

    /// <summary>
    /// A job with its data in the same request (multipart/related: the Job, then the bytes). <paramref name="onAttempt"/>
    /// is called as each attempt starts: more than one means an earlier one may have created the job.
    /// </summary>
    public Task<Job> InsertJobMultipartAsync(Job job, ReadOnlyMemory<byte> data, Action? onAttempt, CancellationToken cancellationToken) =>
        SendAsync(
            "jobs.insert",
            HttpMethod.Post,
            Upload("projects", job.JobReference.ProjectId, "jobs") + "?uploadType=multipart",
            () =>
            {
                var content = new MultipartContent("related", "aero_" + Guid.NewGuid().ToString("N"));
                content.Add(JsonBody(job, Json.Job)());
                var media = new ReadOnlyMemoryContent(data);
                media.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                content.Add(media);
                return content;
            },
            Json.Job,
            onAttempt,
            cancellationToken);

    /// <summary>
    /// A job with its data in a resumable upload: the Job opens a session (its URI comes back in Location), the bytes
    /// follow in chunks with Content-Range; 308 means "more, from the Range it names". After a failed chunk the session
    /// is asked how far it got (Content-Range: bytes */total) and the upload goes on from there.
    /// </summary>
    public async Task<Job> InsertJobResumableAsync(Job job, ReadOnlyMemory<byte> data, int chunkBytes, Action? onAttempt, CancellationToken cancellationToken)
    {
        var total = data.Length;
        var session = await _retry.ExecuteAsync(
            "jobs.insert (resumable start)",
            async ct =>
            {
                onAttempt?.Invoke();
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_endpoint, Upload("projects", job.JobReference.ProjectId, "jobs") + "?uploadType=resumable"))
                {
                    Content = JsonBody(job, Json.Job)(),
                };
                request.Headers.Add("X-Upload-Content-Type", "application/octet-stream");
                request.Headers.Add("X-Upload-Content-Length", total.ToString(CultureInfo.InvariantCulture));
                using var response = await SendOnceAsync("jobs.insert (resumable start)", request, ct);
                return response.Headers.Location ?? throw new BigQueryException("jobs.insert (resumable start)", (int)response.StatusCode, null, "no Location header in the answer");
            },
            cancellationToken);

        var uploaded = 0;
        var resync = false;
        while (true)
        {
            var step = await _retry.ExecuteAsync<(Job? Job, int Uploaded)>(
                "jobs.insert (resumable upload)",
                async ct =>
                {
                    onAttempt?.Invoke();
                    if (resync)
                    {
                        // The last chunk failed somewhere: ask the session what it has.
                        using var status = new HttpRequestMessage(HttpMethod.Put, session) { Content = new ByteArrayContent([]) };
                        status.Content.Headers.Add("Content-Range", $"bytes */{total}");
                        var known = await SendChunkAsync(status, ct);
                        if (known.Job is not null)
                        {
                            return known;
                        }

                        uploaded = known.Uploaded;
                        resync = false;
                    }

                    var length = Math.Min(chunkBytes, total - uploaded);
                    using var put = new HttpRequestMessage(HttpMethod.Put, session) { Content = new ReadOnlyMemoryContent(data.Slice(uploaded, length)) };
                    put.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                    put.Content.Headers.Add("Content-Range", total == 0 ? "bytes */0" : $"bytes {uploaded}-{uploaded + length - 1}/{total}");
                    resync = true;
                    var result = await SendChunkAsync(put, ct);
                    resync = false;
                    return result;
                },
                cancellationToken);
            if (step.Job is not null)
            {
                return step.Job;
            }

            uploaded = step.Uploaded;
        }
    }

    /// <summary>The job, or null when there is none with this id in this location.</summary>
    public Task<Job?> GetJobAsync(string project, string jobId, string location, CancellationToken cancellationToken) =>
        OrNullWhenNotFound(SendAsync("jobs.get", HttpMethod.Get, Api("projects", project, "jobs", jobId) + "?location=" + Uri.EscapeDataString(location), null, Json.Job, cancellationToken));

    /// <summary>Every job in the project in one of the given states (pending, running, done), all pages.</summary>
    public async Task<IReadOnlyList<JobListEntry>> ListJobsAsync(string project, IReadOnlyList<string> stateFilter, CancellationToken cancellationToken)
    {
        var jobs = new List<JobListEntry>();
        string? pageToken = null;
        do
        {
            var query = new StringBuilder("?projection=minimal&maxResults=1000");
            foreach (var state in stateFilter)
            {
                query.Append("&stateFilter=").Append(Uri.EscapeDataString(state));
            }

            if (pageToken is not null)
            {
                query.Append("&pageToken=").Append(Uri.EscapeDataString(pageToken));
            }

            var page = await SendAsync("jobs.list", HttpMethod.Get, Api("projects", project, "jobs") + query, null, Json.JobList, cancellationToken);
            jobs.AddRange(page.Jobs ?? []);
            pageToken = page.NextPageToken;
        }
        while (pageToken is not null);

        return jobs;
    }

    /// <summary>
    /// Runs GoogleSQL (never legacy SQL) and returns every row: polls getQueryResults while the job is not complete,
    /// then follows pageToken to the last page. With a <see cref="QueryRequest.RequestId"/>, a re-sent jobs.query (a
    /// retry) finds the job the first one started instead of starting another. Cancelled, it cancels the job. For a
    /// DML statement, also the rows it affected.
    /// </summary>
    public async Task<(TableSchema? Schema, List<TableRow> Rows, long? DmlAffectedRows)> QueryAsync(string project, QueryRequest request, CancellationToken cancellationToken)
    {
        request = request with { UseLegacySql = false };
        QueryResponse? response = null;
        try
        {
            response = await SendAsync("jobs.query", HttpMethod.Post, Api("projects", project, "queries"), JsonBody(request, Json.QueryRequest), Json.QueryResponse, cancellationToken);
            var rows = new List<TableRow>();
            while (true)
            {
                if (response.JobComplete == true)
                {
                    rows.AddRange(response.Rows ?? []);
                    if (response.PageToken is null)
                    {
                        return (response.Schema, rows, response.NumDmlAffectedRows is { } affected ? long.Parse(affected, CultureInfo.InvariantCulture) : null);
                    }
                }
                else
                {
                    await Task.Delay(_pollInterval, _time, cancellationToken);
                }

                var job = response.JobReference ?? throw new BigQueryException("jobs.query", null, null, "an incomplete or paged answer without a jobReference");
                var query = new StringBuilder("?location=").Append(Uri.EscapeDataString(job.Location ?? request.Location ?? "US"));
                if (response.JobComplete == true)
                {
                    query.Append("&pageToken=").Append(Uri.EscapeDataString(response.PageToken!));
                }

                if (request.MaxResults is { } pageRows)
                {
                    query.Append("&maxResults=").Append(pageRows.ToString(CultureInfo.InvariantCulture));
                }

                response = await SendAsync("jobs.getQueryResults", HttpMethod.Get, Api("projects", job.ProjectId, "queries", job.JobId) + query, null, Json.QueryResponse, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && response?.JobComplete != true)
        {
            await CancelQueryAsync(project, request, response?.JobReference);
            throw;
        }
    }

    /// <summary>
    /// Cancels a query's job. Cancelled before jobs.query answered, its job is found by sending the same request
    /// (same requestId) again: that answers with the job the first one started, or starts it only to be cancelled.
    /// Bounded by the attempt timeout; a failure to cancel leaves the job to finish on its own, with a warning.
    /// </summary>
    private async Task CancelQueryAsync(string project, QueryRequest request, JobReference? job)
    {
        using var limit = new CancellationTokenSource(_http.Timeout);
        try
        {
            if (job is null && request.RequestId is not null)
            {
                var again = await SendAsync("jobs.query", HttpMethod.Post, Api("projects", project, "queries"), JsonBody(request with { TimeoutMs = 0 }, Json.QueryRequest), Json.QueryResponse, limit.Token);
                job = again.JobComplete == true ? null : again.JobReference;
            }

            if (job is not null)
            {
                await SendAsync(
                    "jobs.cancel",
                    HttpMethod.Post,
                    Api("projects", job.ProjectId, "jobs", job.JobId, "cancel") + "?location=" + Uri.EscapeDataString(job.Location ?? request.Location ?? "US"),
                    null,
                    Json.JobCancelResponse,
                    limit.Token);
            }
        }
        catch (Exception error) when (error is BigQueryException or OperationCanceledException or HttpRequestException)
        {
            _log.Warning("BigQuery: cancelling the job of a cancelled query failed, so it may still run ({0})", error.Message);
        }
    }

    public void Dispose() => _http.Dispose();

    private static string Api(params string[] segments) => "bigquery/v2/" + string.Join('/', segments.Select(Uri.EscapeDataString));

    private static string Upload(params string[] segments) => "upload/" + Api(segments);

    private static string TablePath(TableReference table) => Api("projects", table.ProjectId, "datasets", table.DatasetId, "tables", table.TableId);

    private static Func<HttpContent> JsonBody<T>(T value, JsonTypeInfo<T> type) => () =>
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, type));
        content.Headers.ContentType = JsonMediaType;
        return content;
    };

    private static ByteArrayContent InsertAllBody(IReadOnlyList<StreamedRow> rows)
    {
        // Rows are serialized once, by the caller, and sized from those bytes; here they are only framed.
        var buffer = new MemoryStream(InsertAllSize(rows));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("skipInvalidRows", false);
            writer.WriteBoolean("ignoreUnknownValues", false);
            writer.WriteStartArray("rows");
            foreach (var row in rows)
            {
                writer.WriteStartObject();
                writer.WriteString("insertId", row.InsertId);
                writer.WritePropertyName("json");
                writer.WriteRawValue(row.Json, skipInputValidation: true);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        var content = new ByteArrayContent(buffer.GetBuffer(), 0, (int)buffer.Length);
        content.Headers.ContentType = JsonMediaType;
        return content;
    }

    private static async Task<T?> OrNullWhenNotFound<T>(Task<T> call)
        where T : class
    {
        try
        {
            return await call;
        }
        catch (BigQueryException error) when (error.IsNotFound)
        {
            return null;
        }
    }

    private Task<T> SendAsync<T>(
        string operation,
        HttpMethod method,
        string path,
        Func<HttpContent>? body,
        JsonTypeInfo<T> type,
        CancellationToken cancellationToken) =>
        SendAsync(operation, method, path, body, type, null, cancellationToken);

    private Task<T> SendAsync<T>(
        string operation,
        HttpMethod method,
        string path,
        Func<HttpContent>? body,
        JsonTypeInfo<T> type,
        Action? onAttempt,
        CancellationToken cancellationToken) =>
        _retry.ExecuteAsync(
            operation,
            async ct =>
            {
                onAttempt?.Invoke();
                // A new request per attempt: HttpRequestMessage cannot be sent twice.
                using var request = new HttpRequestMessage(method, new Uri(_endpoint, path)) { Content = body?.Invoke() };
                using var response = await SendOnceAsync(operation, request, ct);
                return await ReadAsync(operation, response, type, ct);
            },
            cancellationToken);

    private async Task<HttpResponseMessage> SendOnceAsync(string operation, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await _tokens.TokenAsync(cancellationToken));
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (response.IsSuccessStatusCode || response.StatusCode == (HttpStatusCode)308)
        {
            return response;
        }

        using (response)
        {
            throw await ErrorAsync(operation, response, cancellationToken);
        }
    }

    private async Task<(Job? Job, int Uploaded)> SendChunkAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        const string operation = "jobs.insert (resumable upload)";
        using var response = await SendOnceAsync(operation, request, cancellationToken);
        if (response.StatusCode != (HttpStatusCode)308)
        {
            return (await ReadAsync(operation, response, Json.Job, cancellationToken), 0);
        }

        // "Range: bytes=0-N" names what the session holds; without it, nothing yet.
        var range = response.Headers.TryGetValues("Range", out var values) ? values.FirstOrDefault() : null;
        var dash = range?.LastIndexOf('-') ?? -1;
        return (null, dash < 0 ? 0 : int.Parse(range![(dash + 1)..], CultureInfo.InvariantCulture) + 1);
    }

    private static async Task<T> ReadAsync<T>(string operation, HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(type, cancellationToken)
                ?? throw new BigQueryException(operation, (int)response.StatusCode, null, "an empty answer");
        }
        catch (JsonException error)
        {
            throw new BigQueryException(operation, (int)response.StatusCode, null, $"an answer that is not the expected JSON ({error.Message})");
        }
    }

    /// <summary>BigQuery's error envelope when there is one; proxies answer 5xx with HTML and no envelope.</summary>
    private static async Task<BigQueryException> ErrorAsync(string operation, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        ErrorBody? error = null;
        try
        {
            error = body.Length > 0 ? JsonSerializer.Deserialize(body, Json.ErrorEnvelope)?.Error : null;
        }
        catch (JsonException)
        {
            // Not JSON (an HTML page from a proxy): the status alone decides.
        }

        if (error is null)
        {
            var mediaType = response.Content.Headers.ContentType?.MediaType ?? "no content type";
            return new BigQueryException(operation, status, null, $"{response.ReasonPhrase} ({body.Length} bytes of {mediaType}, no BigQuery error object)");
        }

        var first = error.Errors?.FirstOrDefault();
        return new BigQueryException(operation, status, first?.Reason ?? error.Status, error.Message ?? first?.Message ?? "no message");
    }
}
