using System.Collections.Concurrent;
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

namespace Aero.FakeSchemaRegistry;

/// <summary>
/// A fake Confluent Schema Registry on 127.0.0.1 (Kestrel, in process), speaking its REST API at the wire level:
/// register (<c>POST /subjects/{s}/versions</c>, 409 when the subject's compatibility level refuses the schema),
/// look up by schema (<c>POST /subjects/{s}</c>), by id (<c>GET /schemas/ids/{id}</c>, 404 with error 40403 for an
/// unknown id) and by subject and version (<c>GET /subjects/{s}/versions/{v|latest}</c>), the compatibility check
/// (<c>POST /compatibility/subjects/{s}/versions/{v|latest}</c>) and the levels (<c>/config</c>). Compatibility follows
/// <see cref="JsonSchemaCompatibility"/>. Every request is recorded for specs to count.
/// </summary>
public sealed class FakeSchemaRegistryServer : IAsyncDisposable
{
    private const string ContentType = "application/vnd.schemaregistry.v1+json";
    private static readonly string[] Levels = ["NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE"];

    private readonly WebApplication _app;
    private readonly FakeSchemaRegistryOptions _options;
    private readonly object _gate = new();
    private readonly List<StoredSchema> _schemas = [];
    private readonly Dictionary<string, List<RegisteredVersion>> _subjects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _levels = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _requests = new();
    private string _globalLevel;

    private FakeSchemaRegistryServer(WebApplication app, FakeSchemaRegistryOptions options)
    {
        _app = app;
        _options = options;
        _globalLevel = options.GlobalCompatibility;
    }

    /// <summary>Root of the fake, e.g. http://127.0.0.1:PORT/ .</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Every request so far, as "METHOD /path".</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    public static async Task<FakeSchemaRegistryServer> StartAsync(FakeSchemaRegistryOptions? options = null)
    {
        options ??= new FakeSchemaRegistryOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Port));
        var app = builder.Build();
        var server = new FakeSchemaRegistryServer(app, options);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.Endpoint = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>Registers <paramref name="schema"/> under <paramref name="subject"/> as a client would, without HTTP; its id.</summary>
    public int Register(string subject, string schema, string schemaType = "JSON")
    {
        var (status, body) = RegisterVersion(subject, schema, schemaType);
        return status == 200 ? body!["id"]!.GetValue<int>() : throw new InvalidOperationException(body!["message"]!.GetValue<string>());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        _requests.Enqueue($"{request.Method} {request.Path}");
        if (_options.BasicAuth is { } expected && !Authorized(request, expected))
        {
            await WriteAsync(context, 401, Error(401, "Unauthorized"));
            return;
        }

        var segments = (request.Path.Value ?? "/").Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        var body = request.ContentLength is > 0 || request.Method is "POST" or "PUT" ? await ReadBodyAsync(request) : null;
        var (status, response) = Route(request.Method, segments, body);
        await WriteAsync(context, status, response);
    }

    private (int Status, JsonNode? Body) Route(string method, string[] path, JsonNode? body)
    {
        lock (_gate)
        {
            return (method, path) switch
            {
                ("GET", ["subjects"]) => (200, new JsonArray([.. _subjects.Keys.Select(s => (JsonNode)s)])),
                ("GET", ["subjects", var subject, "versions"]) => Versions(subject),
                ("GET", ["subjects", var subject, "versions", var version]) => VersionOf(subject, version),
                ("POST", ["subjects", var subject, "versions"]) => WithSchema(body, (schema, type) => RegisterVersion(subject, schema, type)),
                ("POST", ["subjects", var subject]) => WithSchema(body, (schema, _) => Lookup(subject, schema)),
                ("GET", ["schemas", "ids", var id]) => SchemaById(id),
                ("POST", ["compatibility", "subjects", var subject, "versions", var version]) => WithSchema(body, (schema, _) => CheckCompatibility(subject, version, schema)),
                ("GET", ["config"]) => (200, new JsonObject { ["compatibilityLevel"] = _globalLevel }),
                ("PUT", ["config"]) => SetLevel(null, body),
                ("GET", ["config", var subject]) => _levels.TryGetValue(subject, out var level)
                    ? (200, new JsonObject { ["compatibilityLevel"] = level })
                    : (404, Error(40408, $"Subject '{subject}' does not have subject-level compatibility configured")),
                ("PUT", ["config", var subject]) => SetLevel(subject, body),
                _ => (404, Error(404, $"HTTP 404 Not Found: {method} /{string.Join('/', path)}")),
            };
        }
    }

    private (int, JsonNode?) RegisterVersion(string subject, string schema, string schemaType)
    {
        lock (_gate)
        {
            if (StoredSchema.CanonicalOf(schema) is not { } canonical)
            {
                return (422, Error(42201, "Invalid schema: not JSON"));
            }

            var versions = _subjects.GetValueOrDefault(subject) ?? [];
            if (versions.FirstOrDefault(v => _schemas[v.Id - 1].Canonical == canonical) is { } existing)
            {
                return (200, Registered(existing));
            }

            var problems = Incompatibilities(subject, versions, canonical, transitiveOnly: false);
            if (problems.Count > 0)
            {
                return (409, Error(409, $"Schema being registered is incompatible with an earlier schema for subject \"{subject}\", details: [{string.Join(", ", problems)}]"));
            }

            var stored = _schemas.FirstOrDefault(s => s.Canonical == canonical && s.SchemaType == schemaType);
            if (stored is null)
            {
                stored = new StoredSchema(_schemas.Count + 1, schemaType, schema, canonical);
                _schemas.Add(stored);
            }

            var version = new RegisteredVersion(subject, versions.Count == 0 ? 1 : versions[^1].Version + 1, stored.Id);
            _subjects[subject] = [.. versions, version];
            return (200, Registered(version));
        }
    }

    private (int, JsonNode?) Lookup(string subject, string schema)
    {
        if (!_subjects.TryGetValue(subject, out var versions))
        {
            return (404, Error(40401, $"Subject '{subject}' not found."));
        }

        var canonical = StoredSchema.CanonicalOf(schema);
        return versions.FirstOrDefault(v => _schemas[v.Id - 1].Canonical == canonical) is { } found
            ? (200, Registered(found))
            : (404, Error(40403, "Schema not found"));
    }

    private (int, JsonNode?) SchemaById(string id)
    {
        if (!int.TryParse(id, out var number) || number < 1 || number > _schemas.Count)
        {
            return (404, Error(40403, $"Schema {id} not found"));
        }

        var schema = _schemas[number - 1];
        return (200, new JsonObject { ["schemaType"] = schema.SchemaType, ["schema"] = schema.Text, ["references"] = new JsonArray() });
    }

    private (int, JsonNode?) Versions(string subject) =>
        _subjects.TryGetValue(subject, out var versions)
            ? (200, new JsonArray([.. versions.Select(v => (JsonNode)v.Version)]))
            : (404, Error(40401, $"Subject '{subject}' not found."));

    private (int, JsonNode?) VersionOf(string subject, string version)
    {
        if (!_subjects.TryGetValue(subject, out var versions))
        {
            return (404, Error(40401, $"Subject '{subject}' not found."));
        }

        var found = version == "latest" ? versions[^1] : versions.FirstOrDefault(v => v.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) == version);
        return found is null ? (404, Error(40402, $"Version {version} not found.")) : (200, Registered(found));
    }

    private (int, JsonNode?) CheckCompatibility(string subject, string version, string schema)
    {
        if (!_subjects.TryGetValue(subject, out var versions))
        {
            return (404, Error(40401, $"Subject '{subject}' not found."));
        }

        if (StoredSchema.CanonicalOf(schema) is not { } canonical)
        {
            return (422, Error(42201, "Invalid schema: not JSON"));
        }

        var against = version == "latest" ? versions : versions.Where(v => v.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) == version).ToList();
        if (against.Count == 0)
        {
            return (404, Error(40402, $"Version {version} not found."));
        }

        var problems = Incompatibilities(subject, against, canonical, transitiveOnly: version != "latest");
        return (200, new JsonObject { ["is_compatible"] = problems.Count == 0, ["messages"] = new JsonArray([.. problems.Select(p => (JsonNode)p)]) });
    }

    /// <summary>What the subject's level says against <paramref name="canonical"/>: the latest version, or all for a transitive level (or a check of one version).</summary>
    private List<string> Incompatibilities(string subject, List<RegisteredVersion> versions, string canonical, bool transitiveOnly)
    {
        var level = _levels.GetValueOrDefault(subject, _globalLevel);
        if (level == "NONE" || versions.Count == 0)
        {
            return [];
        }

        var candidate = JsonNode.Parse(canonical)!;
        var earlier = level.EndsWith("_TRANSITIVE", StringComparison.Ordinal) || transitiveOnly ? versions : [versions[^1]];
        var problems = new List<string>();
        foreach (var version in earlier)
        {
            var old = JsonNode.Parse(_schemas[version.Id - 1].Canonical)!;
            if (level.StartsWith("BACKWARD", StringComparison.Ordinal) || level.StartsWith("FULL", StringComparison.Ordinal))
            {
                problems.AddRange(JsonSchemaCompatibility.Problems(candidate, old).Select(p => $"{{oldSchemaVersion: {version.Version}, {p}}}"));
            }

            if (level.StartsWith("FORWARD", StringComparison.Ordinal) || level.StartsWith("FULL", StringComparison.Ordinal))
            {
                problems.AddRange(JsonSchemaCompatibility.Problems(old, candidate).Select(p => $"{{oldSchemaVersion: {version.Version}, {p}}}"));
            }
        }

        return problems;
    }

    private (int, JsonNode?) SetLevel(string? subject, JsonNode? body)
    {
        var level = body?["compatibility"]?.GetValue<string>()?.ToUpperInvariant();
        if (level is null || !Levels.Contains(level))
        {
            return (422, Error(42203, $"Invalid compatibility level. Valid values are {string.Join(", ", Levels)}"));
        }

        if (subject is null)
        {
            _globalLevel = level;
        }
        else
        {
            _levels[subject] = level;
        }

        return (200, new JsonObject { ["compatibility"] = level });
    }

    private JsonObject Registered(RegisteredVersion version)
    {
        var schema = _schemas[version.Id - 1];
        return new JsonObject
        {
            ["subject"] = version.Subject,
            ["version"] = version.Version,
            ["id"] = version.Id,
            ["schemaType"] = schema.SchemaType,
            ["schema"] = schema.Text,
        };
    }

    private static (int, JsonNode?) WithSchema(JsonNode? body, Func<string, string, (int, JsonNode?)> handle) =>
        body?["schema"]?.GetValue<string>() is { } schema
            ? handle(schema, body["schemaType"]?.GetValue<string>() ?? "AVRO")
            : (422, Error(42201, "Invalid schema: the request has no schema"));

    private static JsonObject Error(int code, string message) => new() { ["error_code"] = code, ["message"] = message };

    private static bool Authorized(HttpRequest request, string expected)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Basic ", StringComparison.Ordinal)
            && header["Basic ".Length..] == Convert.ToBase64String(Encoding.UTF8.GetBytes(expected));
    }

    private static async Task<JsonNode?> ReadBodyAsync(HttpRequest request)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task WriteAsync(HttpContext context, int status, JsonNode? body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType;
        await context.Response.WriteAsync(body?.ToJsonString() ?? "null");
    }
}
