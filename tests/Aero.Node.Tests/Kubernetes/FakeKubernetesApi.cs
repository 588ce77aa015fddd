using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aero.Node.Tests.Kubernetes;

/// <summary>
/// The part of the Kubernetes API that pod discovery uses, in process, over HTTPS with its own CA as the API server
/// has: <c>GET /api/v1/namespaces/{ns}/pods</c> and <c>GET /api/v1/pods</c> with an equality-based
/// <c>labelSelector</c>, behind a bearer token (401 <c>Status</c> without it). Unknown paths answer 404 <c>Status</c>,
/// an unsupported selector 400, as the API server does. The token's service account may list pods only in the
/// namespaces its Role was granted in; elsewhere the answer is 403 <c>Status</c> (Forbidden), as RBAC answers.
/// Also Kubeflow Spark Operator <c>SparkApplication</c>s (FakeKubernetesApi.SparkApplications.cs).
/// </summary>
public sealed partial class FakeKubernetesApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<PodListRequest> _requests = new();

    private readonly IReadOnlySet<string> _grantedNamespaces;

    private FakeKubernetesApi(IReadOnlyList<JsonObject> pods, string token, IReadOnlySet<string> grantedNamespaces, IReadOnlySet<string> sparkApplicationVerbs)
    {
        _grantedNamespaces = grantedNamespaces;
        _sparkApplicationVerbs = sparkApplicationVerbs;
        Certificate = Aero.FakeSparkConnect.LoopbackCertificate.Create("kube-apiserver");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(Certificate)));
        _app = builder.Build();
        _app.MapGet("/api/v1/namespaces/{ns}/pods", (HttpContext http, string ns) => List(http, token, pods, ns));
        _app.MapGet("/api/v1/pods", (HttpContext http) => List(http, token, pods, null));
        MapSparkApplications(token);
        _app.MapFallback(() => Status(404, "NotFound", "the server could not find the requested resource"));
    }

    /// <summary>The server's certificate, self-signed: the CA a client must trust, as with a cluster's own CA.</summary>
    public X509Certificate2 Certificate { get; }

    public int Port => new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;

    public IReadOnlyCollection<PodListRequest> Requests => _requests;

    /// <param name="grantedNamespaces">Where the token's service account holds its Roles.</param>
    /// <param name="sparkApplicationVerbs">What its Role lets it do with sparkapplications there (none when null).</param>
    public static async Task<FakeKubernetesApi> StartAsync(IReadOnlyList<JsonObject> pods, string token, IReadOnlySet<string> grantedNamespaces, IReadOnlySet<string>? sparkApplicationVerbs = null)
    {
        var api = new FakeKubernetesApi(pods, token, grantedNamespaces, sparkApplicationVerbs ?? new HashSet<string>());
        await api._app.StartAsync();
        return api;
    }

    /// <summary>
    /// The files Kubernetes mounts into a pod at /var/run/secrets/kubernetes.io/serviceaccount (token, the cluster's CA,
    /// the pod's namespace), written to <paramref name="directory"/>; with KUBERNETES_SERVICE_HOST and _PORT pointing here.
    /// </summary>
    public async Task<Dictionary<string, string>> WriteServiceAccountAsync(string directory, string @namespace, string token)
    {
        System.IO.Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "token"), token);
        await File.WriteAllTextAsync(Path.Combine(directory, "ca.crt"), Certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(directory, "namespace"), @namespace);
        return new Dictionary<string, string>
        {
            ["KUBERNETES_SERVICE_HOST"] = "127.0.0.1",
            ["KUBERNETES_SERVICE_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>A kubeconfig whose cluster trusts this server's CA and whose user presents <paramref name="token"/>.</summary>
    public string Kubeconfig(string @namespace, string token) => $"""
        apiVersion: v1
        kind: Config
        clusters:
          - name: fake
            cluster:
              server: https://127.0.0.1:{Port}
              certificate-authority-data: {Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(Certificate.ExportCertificatePem()))}
        users:
          - name: fake
            user:
              token: {token}
        contexts:
          - name: fake
            context:
              cluster: fake
              user: fake
              namespace: {@namespace}
        current-context: fake
        """;

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Certificate.Dispose();
    }

    private IResult List(HttpContext http, string token, IReadOnlyList<JsonObject> pods, string? ns)
    {
        var selector = http.Request.Query["labelSelector"].ToString();
        var authorized = http.Request.Headers.Authorization.ToString() == $"Bearer {token}";
        _requests.Enqueue(new PodListRequest(ns, selector, authorized));
        if (!authorized)
        {
            return Status(401, "Unauthorized", "Unauthorized");
        }

        if (ns is null || !_grantedNamespaces.Contains(ns))
        {
            var scope = ns is null ? "at the cluster scope" : $"in the namespace \"{ns}\"";
            return Status(403, "Forbidden", $"pods is forbidden: User \"system:serviceaccount:aero:aero\" cannot list resource \"pods\" in API group \"\" {scope}");
        }

        if (!TryParseSelector(selector, out var requirements))
        {
            return Status(400, "BadRequest", $"unable to parse requirement: {selector}");
        }

        var items = new JsonArray([.. pods
            .Where(p => ns is null || (string?)p["metadata"]!["namespace"] == ns)
            .Where(p => requirements.All(r => ((string?)p["metadata"]!["labels"]?[r.Key] == r.Value) == r.Equal))
            .Select(p => p.DeepClone())]);
        return Results.Json(new JsonObject
        {
            ["kind"] = "PodList",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = "1" },
            ["items"] = items,
        });
    }

    /// <summary>Equality-based requirements only (<c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, comma-separated): what discovery sends.</summary>
    private static bool TryParseSelector(string selector, out List<(string Key, string Value, bool Equal)> requirements)
    {
        requirements = [];
        foreach (var requirement in selector.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (op, equal) = requirement.Contains("!=", StringComparison.Ordinal) ? ("!=", false)
                : requirement.Contains("==", StringComparison.Ordinal) ? ("==", true)
                : ("=", true);
            var parts = requirement.Split(op);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[0].Contains(' ', StringComparison.Ordinal))
            {
                return false;
            }

            requirements.Add((parts[0], parts[1], equal));
        }

        return true;
    }

    private static IResult Status(int code, string reason, string message) => Results.Json(
        new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = code,
        },
        statusCode: code);
}
