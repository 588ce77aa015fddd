using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aero.FakeGcs;

/// <summary>
/// A fake Google Cloud Storage JSON API on 127.0.0.1 (Kestrel, in process), at the wire level the client library
/// speaks: multipart uploads (<c>uploadType=multipart</c>, one multipart/related body) and resumable ones
/// (<c>uploadType=resumable</c>: a session URI, then PUTs with Content-Range, 308 until the last byte), the object
/// appearing only when its upload is finalized; <c>ifGenerationMatch</c> checked at the start and at the end (412);
/// list with prefix and pages, media download, delete; and scripted faults (<see cref="Faults"/>).
/// </summary>
public sealed partial class FakeGcsServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly object _gate = new();
    private readonly Dictionary<string, GcsObject> _objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Bucket, string Name, long? IfGenerationMatch, MemoryStream Data)> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _requests = new();
    private long _generation = 1_700_000_000_000_000;

    private FakeGcsServer(WebApplication app) => _app = app;

    /// <summary>Root of the fake, e.g. http://127.0.0.1:PORT/ ; the API is under storage/v1/, uploads under upload/storage/v1/.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Faults served in order, each to the first request it matches.</summary>
    public ConcurrentQueue<GcsFault> Faults { get; } = new();

    /// <summary>Every request so far, as "METHOD /path?query".</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    /// <summary>Upload sessions begun and not finalized (what a crash mid-upload leaves behind, invisible to readers).</summary>
    public int OpenSessions
    {
        get
        {
            lock (_gate)
            {
                return _sessions.Count;
            }
        }
    }

    public static async Task<FakeGcsServer> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port);
            kestrel.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var server = new FakeGcsServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.Endpoint = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>The bucket's objects, by name.</summary>
    public IReadOnlyDictionary<string, GcsObject> Objects(string bucket)
    {
        lock (_gate)
        {
            return _objects.Values.Where(o => o.Bucket == bucket).ToDictionary(o => o.Name, StringComparer.Ordinal);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        _requests.Enqueue($"{request.Method} {path}{request.QueryString}");
        using var buffer = new MemoryStream();
        // The client library gzips request bodies (metadata), as GCS accepts.
        if (request.Headers.ContentEncoding == "gzip")
        {
            await using var unzipped = new System.IO.Compression.GZipStream(request.Body, System.IO.Compression.CompressionMode.Decompress, leaveOpen: true);
            await unzipped.CopyToAsync(buffer);
        }
        else
        {
            await request.Body.CopyToAsync(buffer);
        }

        var body = buffer.ToArray();
        if (NextFault(request.Method, path) is { } fault)
        {
            if (fault.CutOff)
            {
                context.Abort();
                return;
            }

            await WriteAsync(context, fault.Status, Error(fault.Status, "scripted fault"));
            return;
        }

        (int Status, JsonNode? Body, string? Location, byte[]? Media) answer;
        try
        {
            lock (_gate)
            {
                answer = Route(request, path, body);
            }
        }
        catch (Exception error) when (error is FormatException or System.Text.Json.JsonException or InvalidOperationException or ArgumentException)
        {
            // The fake's own failure, said in the answer: a spec then shows what the fake could not read.
            answer = (500, Error(500, $"the fake failed on {request.Method} {path}{request.QueryString}: {error}"), null, null);
        }

        if (answer.Location is { } location)
        {
            context.Response.Headers.Location = location;
        }

        if (answer.Media is { } media)
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/octet-stream";
            await context.Response.Body.WriteAsync(media);
            return;
        }

        await WriteAsync(context, answer.Status, answer.Body);
    }

    private GcsFault? NextFault(string method, string path)
    {
        lock (_gate)
        {
            if (Faults.TryPeek(out var fault) && fault.Method == method && path.Contains(fault.PathContains, StringComparison.Ordinal))
            {
                Faults.TryDequeue(out _);
                return fault;
            }

            return null;
        }
    }

    private (int, JsonNode?, string?, byte[]?) Route(HttpRequest request, string path, byte[] body)
    {
        var query = request.Query;
        if (UploadPath().Match(path) is { Success: true } upload)
        {
            var bucket = Uri.UnescapeDataString(upload.Groups["bucket"].Value);
            return (request.Method, query["uploadType"].ToString()) switch
            {
                ("POST", "multipart") => Multipart(bucket, request, body),
                ("POST", "resumable") => BeginResumable(bucket, request, body),
                ("PUT", "resumable") => ContinueResumable(query["upload_id"].ToString(), request, body),
                ("POST", "media") => Finalize(bucket, query["name"].ToString(), Generation(request), body, request.ContentType ?? "application/octet-stream"),
                _ => (400, Error(400, $"uploadType {query["uploadType"]} is not supported by the fake"), null, null),
            };
        }

        if (ObjectPath().Match(path) is { Success: true } item)
        {
            var key = Key(Uri.UnescapeDataString(item.Groups["bucket"].Value), Uri.UnescapeDataString(item.Groups["object"].Value));
            if (!_objects.TryGetValue(key, out var found))
            {
                return (404, Error(404, "No such object: " + key), null, null);
            }

            switch (request.Method)
            {
                case "GET" when query["alt"] == "media":
                    return (200, null, null, found.Data);
                case "GET":
                    return (200, Resource(found), null, null);
                case "DELETE":
                    _objects.Remove(key);
                    return (204, null, null, null);
            }
        }

        if (ListPath().Match(path) is { Success: true } list && request.Method == "GET")
        {
            return List(Uri.UnescapeDataString(list.Groups["bucket"].Value), query["prefix"].ToString(), query["pageToken"].ToString(), query["maxResults"].ToString());
        }

        return (404, Error(404, $"Not Found: {request.Method} {path}"), null, null);
    }

    private (int, JsonNode?, string?, byte[]?) Multipart(string bucket, HttpRequest request, byte[] body)
    {
        var boundary = request.ContentType?.Split(';').Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("boundary=", StringComparison.Ordinal))?["boundary=".Length..].Trim('"');
        if (boundary is null)
        {
            return (400, Error(400, "multipart upload without a boundary"), null, null);
        }

        var parts = Parts(body, boundary);
        if (parts.Count != 2)
        {
            return (400, Error(400, $"a multipart upload has 2 parts, not {parts.Count}"), null, null);
        }

        var metadata = JsonNode.Parse(parts[0].Body)!;
        var name = metadata["name"]?.GetValue<string>() ?? request.Query["name"].ToString();
        return Finalize(bucket, name, Generation(request), parts[1].Body, parts[1].ContentType ?? "application/octet-stream");
    }

    private (int, JsonNode?, string?, byte[]?) BeginResumable(string bucket, HttpRequest request, byte[] body)
    {
        var name = request.Query["name"].ToString();
        if (name.Length == 0 && body.Length > 0)
        {
            name = JsonNode.Parse(body)?["name"]?.GetValue<string>() ?? "";
        }

        var generation = Generation(request);
        if (PreconditionFails(bucket, name, generation))
        {
            return (412, PreconditionFailed(), null, null);
        }

        var id = Guid.NewGuid().ToString("N");
        _sessions[id] = (bucket, name, generation, new MemoryStream());
        var location = $"{Endpoint}upload/storage/v1/b/{Uri.EscapeDataString(bucket)}/o?uploadType=resumable&upload_id={id}";
        return (200, null, location, null);
    }

    private (int, JsonNode?, string?, byte[]?) ContinueResumable(string id, HttpRequest request, byte[] body)
    {
        if (!_sessions.TryGetValue(id, out var session))
        {
            return (404, Error(404, "No such upload session"), null, null);
        }

        // "bytes FIRST-LAST/TOTAL", "bytes */TOTAL" (a status query or an empty last chunk), or TOTAL "*" while unknown.
        var range = ContentRange().Match(request.Headers.ContentRange.ToString());
        if (!range.Success)
        {
            return (400, Error(400, "Content-Range is missing or malformed"), null, null);
        }

        if (range.Groups["first"].Success)
        {
            var first = long.Parse(range.Groups["first"].Value, CultureInfo.InvariantCulture);
            if (first != session.Data.Length)
            {
                return (400, Error(400, $"the chunk starts at {first}, the session holds {session.Data.Length}"), null, null);
            }

            session.Data.Write(body);
        }

        if (range.Groups["total"].Value is var total && total != "*" && long.Parse(total, CultureInfo.InvariantCulture) == session.Data.Length)
        {
            _sessions.Remove(id);
            return Finalize(session.Bucket, session.Name, session.IfGenerationMatch, session.Data.ToArray(), "application/octet-stream");
        }

        return session.Data.Length > 0 ? Incomplete(session.Data.Length) : (308, null, null, null);
    }

    private static (int, JsonNode?, string?, byte[]?) Incomplete(long received) => (308, new JsonObject { ["range"] = $"bytes=0-{received - 1}" }, null, null);

    private (int, JsonNode?, string?, byte[]?) Finalize(string bucket, string name, long? ifGenerationMatch, byte[] data, string contentType)
    {
        if (name.Length == 0)
        {
            return (400, Error(400, "Required: object name"), null, null);
        }

        if (PreconditionFails(bucket, name, ifGenerationMatch))
        {
            return (412, PreconditionFailed(), null, null);
        }

        var stored = new GcsObject(bucket, name, ++_generation, data, contentType);
        _objects[Key(bucket, name)] = stored;
        return (200, Resource(stored), null, null);
    }

    private (int, JsonNode?, string?, byte[]?) List(string bucket, string prefix, string pageToken, string maxResults)
    {
        var size = int.TryParse(maxResults, out var max) && max > 0 ? Math.Min(max, 1000) : 1000;
        var names = _objects.Values.Where(o => o.Bucket == bucket && o.Name.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(o => o.Name, StringComparer.Ordinal).ToList();
        var start = int.TryParse(pageToken, out var token) ? token : 0;
        var page = names.Skip(start).Take(size).ToList();
        var result = new JsonObject { ["kind"] = "storage#objects", ["items"] = new JsonArray([.. page.Select(o => (JsonNode)Resource(o))]) };
        if (start + page.Count < names.Count)
        {
            result["nextPageToken"] = (start + page.Count).ToString(CultureInfo.InvariantCulture);
        }

        return (200, result, null, null);
    }

    private bool PreconditionFails(string bucket, string name, long? ifGenerationMatch) =>
        ifGenerationMatch is { } expected && (_objects.TryGetValue(Key(bucket, name), out var existing) ? existing.Generation : 0) != expected;

    private static long? Generation(HttpRequest request) =>
        long.TryParse(request.Query["ifGenerationMatch"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var generation) ? generation : null;

    private static JsonObject Resource(GcsObject item) => new()
    {
        ["kind"] = "storage#object",
        ["id"] = $"{item.Bucket}/{item.Name}/{item.Generation}",
        ["name"] = item.Name,
        ["bucket"] = item.Bucket,
        ["generation"] = item.Generation.ToString(CultureInfo.InvariantCulture),
        ["metageneration"] = "1",
        ["contentType"] = item.ContentType,
        ["size"] = item.Data.Length.ToString(CultureInfo.InvariantCulture),
    };

    private static JsonObject PreconditionFailed() => Error(412, "At least one of the pre-conditions you specified did not hold.", "conditionNotMet");

    private static JsonObject Error(int code, string message, string reason = "error") => new()
    {
        ["error"] = new JsonObject
        {
            ["code"] = code,
            ["message"] = message,
            ["errors"] = new JsonArray(new JsonObject { ["message"] = message, ["domain"] = "global", ["reason"] = reason }),
        },
    };

    private static string Key(string bucket, string name) => bucket + "/" + name;

    private static List<(string? ContentType, byte[] Body)> Parts(byte[] body, string boundary)
    {
        var text = Encoding.Latin1.GetString(body);
        var parts = new List<(string?, byte[])>();
        foreach (var chunk in text.Split("--" + boundary).Skip(1))
        {
            if (chunk.StartsWith("--", StringComparison.Ordinal))
            {
                break;
            }

            var headerEnd = chunk.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var headers = chunk[..headerEnd];
            var content = chunk[(headerEnd + 4)..];
            content = content.EndsWith("\r\n", StringComparison.Ordinal) ? content[..^2] : content;
            var type = headers.Split("\r\n").FirstOrDefault(h => h.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase))?["Content-Type:".Length..].Trim();
            parts.Add((type, Encoding.Latin1.GetBytes(content)));
        }

        return parts;
    }

    private static async Task WriteAsync(HttpContext context, int status, JsonNode? body)
    {
        context.Response.StatusCode = status;
        if (status == 308 && body?["range"] is { } range)
        {
            context.Response.Headers.Range = range.GetValue<string>();
            return;
        }

        if (body is not null && status != 204)
        {
            context.Response.ContentType = "application/json; charset=UTF-8";
            await context.Response.WriteAsync(body.ToJsonString());
        }
    }

    [GeneratedRegex(@"^/upload/storage/v1/b/(?<bucket>[^/]+)/o$")]
    private static partial Regex UploadPath();

    [GeneratedRegex(@"^/storage/v1/b/(?<bucket>[^/]+)/o/(?<object>.+)$")]
    private static partial Regex ObjectPath();

    [GeneratedRegex(@"^/storage/v1/b/(?<bucket>[^/]+)/o$")]
    private static partial Regex ListPath();

    [GeneratedRegex(@"^bytes (?:(?<first>\d+)-(?<last>\d+)|\*)/(?<total>\d+|\*)$")]
    private static partial Regex ContentRange();
}
