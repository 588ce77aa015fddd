using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aero.FakeBigQuery;

/// <summary>
/// A fake BigQuery v2 REST server on 127.0.0.1 (Kestrel, in process): routes by Google's discovery document, enforces
/// the documented semantics (see README.md), stores data in an in-memory DuckDB, serves scripted faults, and checks
/// every request and response body against the discovery schemas.
/// </summary>
public sealed class FakeBigQueryServer : IAsyncDisposable
{
    private const string ApiPrefix = "/bigquery/v2/";
    private const string InsertJob = "bigquery.jobs.insert";

    private readonly WebApplication _app;
    private readonly FakeBigQueryOptions _options;
    private readonly BigQueryService _service;
    private readonly DiscoveryDocument _discovery = DiscoveryDocument.BigQueryV2;
    private readonly ConcurrentQueue<string> _violations = new();
    private readonly ConcurrentDictionary<string, ResumableUpload> _uploads = new(StringComparer.Ordinal);

    private FakeBigQueryServer(WebApplication app, FakeBigQueryOptions options)
    {
        _app = app;
        _options = options;
        _service = new BigQueryService(options, Stats);
    }

    /// <summary>Root of the fake, e.g. http://127.0.0.1:PORT/ ; the API is under bigquery/v2/, uploads under upload/bigquery/v2/.</summary>
    public Uri Endpoint { get; private set; } = null!;

    public FaultScript Faults { get; } = new();

    public FakeBigQueryStats Stats { get; } = new();

    /// <summary>Request and response bodies that did not match the discovery schema: "method request|response: $.path: problem".</summary>
    public IReadOnlyList<string> ContractViolations => [.. _violations];

    public static async Task<FakeBigQueryServer> StartAsync(FakeBigQueryOptions? options = null)
    {
        options ??= new FakeBigQueryOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port);
            // The fake enforces BigQuery's own limits (10 MB insertAll); Kestrel's 30 MB default would cut large loads.
            kestrel.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var server = new FakeBigQueryServer(app, options);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.Endpoint = new Uri(address.TrimEnd('/') + "/");
        server._service.Endpoint = server.Endpoint;
        return server;
    }

    public long RowCount(string projectId, string datasetId, string tableId) => _service.RowCount(projectId, datasetId, tableId);

    /// <summary>Runs the jobs that JobPollsUntilDone holds RUNNING, without anyone polling them: a job finishing on its own.</summary>
    public void FinishRunningJobs() => _service.FinishRunningJobs();

    public IReadOnlyList<IReadOnlyDictionary<string, object?>> Rows(string projectId, string datasetId, string tableId) =>
        _service.Rows(projectId, datasetId, tableId);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _service.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        var rawPath = rawTarget.Split('?')[0];
        if (HttpMethods.IsGet(context.Request.Method) && rawPath is "/discovery/v1/apis/bigquery/v2/rest" or "/$discovery/rest" or "/%24discovery/rest")
        {
            context.Response.ContentType = "application/json; charset=UTF-8";
            await context.Response.WriteAsync(_discovery.RenderFor(Endpoint));
            return;
        }

        var route = Route(context.Request.Method, rawPath, context.Request.Query);
        if (route is null)
        {
            await WriteErrorAsync(context, new BigQueryException(404, "notFound", $"Not found: {context.Request.Method} {rawPath} is not a BigQuery v2 method."));
            return;
        }

        var (methodId, parameters, upload) = route.Value;
        Stats.CountRequest(methodId);
        if (!context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            || context.Request.Headers.Authorization.ToString().Length <= "Bearer ".Length)
        {
            await WriteErrorAsync(context, new BigQueryException(401, "required",
                "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential."));
            return;
        }

        var fault = Faults.TakeNext(methodId);
        switch (fault?.Kind)
        {
            case FakeFaultKind.Status:
                await WriteErrorAsync(context, new BigQueryException(fault.HttpStatus, fault.Reason, fault.Message));
                return;
            case FakeFaultKind.HtmlStatus:
                context.Response.StatusCode = fault.HttpStatus;
                context.Response.ContentType = "text/html; charset=UTF-8";
                await context.Response.WriteAsync($"<html><head><title>{fault.HttpStatus} Error</title></head><body><h1>Error: Server Error</h1></body></html>");
                return;
            case FakeFaultKind.Delay:
                try
                {
                    await Task.Delay(fault.Pause, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                break;
            default:
                break;
        }

        try
        {
            var body = await ReadBodyAsync(context.Request);
            var response = upload switch
            {
                "multipart" => Multipart(methodId, parameters, context.Request, body),
                "resumable" => OpenResumable(parameters, context, body),
                "chunk" => ReceiveChunk(context, body),
                _ => Call(methodId, parameters, context.Request, body, fault?.Kind == FakeFaultKind.QueryIncomplete),
            };
            if (fault?.Kind == FakeFaultKind.AcceptThenFail)
            {
                await WriteErrorAsync(context, new BigQueryException(fault.HttpStatus, fault.Reason, fault.Message));
                return;
            }

            await WriteAsync(context, methodId, response);
        }
        catch (BigQueryException e)
        {
            await WriteErrorAsync(context, e);
        }
    }

    private (string MethodId, Dictionary<string, string> Parameters, string? Upload)? Route(string verb, string rawPath, IQueryCollection query)
    {
        if (rawPath.StartsWith(ApiPrefix, StringComparison.Ordinal))
        {
            var match = _discovery.Match(verb, rawPath[ApiPrefix.Length..]);
            return match is null ? null : (match.Value.Method.Id, Decode(match.Value.Parameters), null);
        }

        // Media uploads: /upload/bigquery/v2/projects/{p}/jobs (also /resumable/upload/..., as the discovery document lists).
        foreach (var prefix in new[] { "/upload" + ApiPrefix, "/resumable/upload" + ApiPrefix })
        {
            if (rawPath.StartsWith(prefix, StringComparison.Ordinal))
            {
                var match = _discovery.Match("POST", rawPath[prefix.Length..]);
                if (match is not { Method.Id: InsertJob })
                {
                    return null;
                }

                var parameters = Decode(match.Value.Parameters);
                var uploadType = query["uploadType"].ToString();
                return verb switch
                {
                    "POST" when uploadType == "multipart" => (InsertJob, parameters, "multipart"),
                    "POST" when uploadType == "resumable" => (InsertJob, parameters, "resumable"),
                    "PUT" when query.ContainsKey("upload_id") => (FaultScript.UploadChunkMethodId, parameters, "chunk"),
                    _ => null,
                };
            }
        }

        return null;
    }

    private static Dictionary<string, string> Decode(Dictionary<string, string> raw) =>
        raw.ToDictionary(p => p.Key, p => Uri.UnescapeDataString(p.Value), StringComparer.Ordinal);

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        if (request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            await using var gzip = new GZipStream(request.Body, CompressionMode.Decompress);
            await gzip.CopyToAsync(buffer);
        }
        else
        {
            await request.Body.CopyToAsync(buffer);
        }

        return buffer.ToArray();
    }

    private ApiResponse Call(string methodId, Dictionary<string, string> parameters, HttpRequest http, byte[] body, bool incomplete, byte[]? media = null)
    {
        if (methodId == "bigquery.tabledata.insertAll" && body.LongLength > _options.MaxInsertAllBytes)
        {
            throw new BigQueryException(400, "badRequest", $"Request payload size exceeds the limit: {_options.MaxInsertAllBytes} bytes.");
        }

        var method = _discovery.Method(methodId);
        JsonNode? json = null;
        if (body.Length > 0 && method.RequestSchema is not null)
        {
            try
            {
                json = JsonNode.Parse(body);
            }
            catch (JsonException e)
            {
                throw new BigQueryException(400, "parseError", $"Invalid JSON payload received. {e.Message}");
            }

            Check($"{methodId} request", method.RequestSchema, json);
        }

        return _service.Handle(new ApiRequest(methodId, parameters, http.Query, json, media) { ReportIncomplete = incomplete });
    }

    private ApiResponse Multipart(string methodId, Dictionary<string, string> parameters, HttpRequest http, byte[] body)
    {
        var parts = MultipartRelated.Parts(http.ContentType ?? string.Empty, body);
        return Call(methodId, parameters, http, parts[0], incomplete: false, media: parts[1]);
    }

    // Resumable step 1: keep the Job, answer with the session URI in Location. The job is created when the last byte arrives.
    private ApiResponse OpenResumable(Dictionary<string, string> parameters, HttpContext context, byte[] body)
    {
        var job = body.Length > 0 ? ParseJob(body) : null;
        var uploadId = Guid.NewGuid().ToString("N");
        _uploads[uploadId] = new ResumableUpload(parameters["projectId"], job?.ToJsonString() ?? "{}");
        context.Response.Headers.Location =
            $"{Endpoint}upload/bigquery/v2/projects/{Uri.EscapeDataString(parameters["projectId"])}/jobs?uploadType=resumable&upload_id={uploadId}";
        return new ApiResponse(200, null);
    }

    private JsonNode? ParseJob(byte[] body)
    {
        try
        {
            var json = JsonNode.Parse(body);
            Check($"{InsertJob} request", "Job", json);
            return json;
        }
        catch (JsonException e)
        {
            throw new BigQueryException(400, "parseError", $"Invalid JSON payload received. {e.Message}");
        }
    }

    // Resumable step 2: "Content-Range: bytes a-b/total" chunks, "bytes */total" asks for progress; 308 + Range until complete.
    private ApiResponse ReceiveChunk(HttpContext context, byte[] body)
    {
        var uploadId = context.Request.Query["upload_id"].ToString();
        if (!_uploads.TryGetValue(uploadId, out var upload))
        {
            throw BigQueryException.NotFound($"Upload session {uploadId}");
        }

        lock (upload)
        {
            if (upload.CompletedResponse is not null)
            {
                return new ApiResponse(200, JsonNode.Parse(upload.CompletedResponse));
            }

            var (first, total) = ContentRange(context.Request.Headers.ContentRange.ToString(), body.LongLength, upload.Received.Length);
            if (body.Length > 0)
            {
                if (first > upload.Received.Length)
                {
                    throw new BigQueryException(400, "badRequest",
                        $"Invalid request. The byte range starting at {first} does not follow the {upload.Received.Length} bytes received.");
                }

                // A re-sent chunk may overlap what arrived already: keep only the new bytes.
                var skip = (int)(upload.Received.Length - first);
                if (skip < body.Length)
                {
                    upload.Received.Write(body, skip, body.Length - skip);
                }
            }

            if (total is null || upload.Received.Length < total)
            {
                if (upload.Received.Length > 0)
                {
                    context.Response.Headers["Range"] = $"bytes=0-{upload.Received.Length - 1}";
                }

                return new ApiResponse(308, null);
            }

            var response = Call(InsertJob, new Dictionary<string, string> { ["projectId"] = upload.ProjectId }, context.Request,
                Encoding.UTF8.GetBytes(upload.JobJson), incomplete: false, media: upload.Received.ToArray());
            upload.CompletedResponse = response.Body!.ToJsonString();
            return response;
        }
    }

    private static (long First, long? Total) ContentRange(string header, long length, long received)
    {
        if (header.Length == 0)
        {
            // A single PUT without Content-Range carries the whole media.
            return (received, received + length);
        }

        var spec = header.Replace("bytes", string.Empty, StringComparison.OrdinalIgnoreCase).Trim();
        var slash = spec.IndexOf('/', StringComparison.Ordinal);
        var range = spec[..slash];
        var totalText = spec[(slash + 1)..];
        long? total = totalText == "*" ? null : long.Parse(totalText, CultureInfo.InvariantCulture);
        var first = range == "*" ? received : long.Parse(range[..range.IndexOf('-', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
        return (first, total);
    }

    private void Check(string what, string schema, JsonNode? json)
    {
        if (!_options.ValidateContract)
        {
            return;
        }

        foreach (var violation in DiscoverySchemaValidator.BigQueryV2.Validate(schema, json))
        {
            _violations.Enqueue($"{what}: {violation}");
        }
    }

    private async Task WriteAsync(HttpContext context, string methodId, ApiResponse response)
    {
        context.Response.StatusCode = response.Status;
        if (response.Body is null)
        {
            return;
        }

        var text = response.Body.ToJsonString();
        if (methodId != FaultScript.UploadChunkMethodId && _discovery.Method(methodId).ResponseSchema is { } schema)
        {
            Check($"{methodId} response", schema, JsonNode.Parse(text));
        }
        else if (methodId == FaultScript.UploadChunkMethodId)
        {
            Check($"{InsertJob} response", "Job", JsonNode.Parse(text));
        }

        if (context.Request.Query["fields"].ToString() is { Length: > 0 } fields && response.Body is JsonObject full)
        {
            text = PartialResponse(full, fields).ToJsonString();
        }

        context.Response.ContentType = "application/json; charset=UTF-8";
        await context.Response.WriteAsync(text);
    }

    // fields=insertErrors,kind : top-level selection only ("a/b" and "a(b)" keep all of "a").
    private static JsonObject PartialResponse(JsonObject full, string fields)
    {
        var keep = fields.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(f => f.Split('/', '(')[0]).ToHashSet(StringComparer.Ordinal);
        var partial = new JsonObject();
        foreach (var (name, value) in full)
        {
            if (keep.Contains(name))
            {
                partial[name] = value?.DeepClone();
            }
        }

        return partial;
    }

    private async Task WriteErrorAsync(HttpContext context, BigQueryException error)
    {
        if (error.HttpStatus == 409)
        {
            Stats.CountConflict();
        }

        var envelope = new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = error.HttpStatus,
                ["message"] = error.Message,
                ["errors"] = new JsonArray(new JsonObject { ["message"] = error.Message, ["domain"] = "global", ["reason"] = error.Reason }),
                ["status"] = StatusName(error.HttpStatus),
            },
        };
        context.Response.StatusCode = error.HttpStatus;
        context.Response.ContentType = "application/json; charset=UTF-8";
        await context.Response.WriteAsync(envelope.ToJsonString());
    }

    private static string StatusName(int status) => status switch
    {
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        409 => "ALREADY_EXISTS",
        429 => "RESOURCE_EXHAUSTED",
        501 => "UNIMPLEMENTED",
        503 => "UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        _ => "INTERNAL",
    };
}
