using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Aero.Node.Tests.Kubernetes;

/// <summary>
/// Kubeflow Spark Operator <c>SparkApplication</c>s (sparkoperator.k8s.io/v1beta2) as the API server serves a custom
/// resource: create (201; 409 AlreadyExists; 422 Invalid without the CRD's required spec.sparkVersion and
/// spec.mainApplicationFile), get and delete (404 NotFound), each verb allowed only when the service account's Role
/// grants it in that namespace (403 Forbidden otherwise). No operator runs here: a spec moves an application's state.
/// </summary>
public sealed partial class FakeKubernetesApi
{
    private const string SparkApplicationsPath = "/apis/sparkoperator.k8s.io/v1beta2/namespaces/{ns}/sparkapplications";

    private readonly IReadOnlySet<string> _sparkApplicationVerbs;
    private readonly ConcurrentDictionary<(string Namespace, string Name), JsonObject> _sparkApplications = new();

    /// <summary>The applications stored now, as created (with their status once a spec set one).</summary>
    public IReadOnlyList<JsonObject> SparkApplications => [.. _sparkApplications.Values.Select(a => (JsonObject)a.DeepClone())];

    /// <summary>What the operator would write to <c>status</c> as the application moves on.</summary>
    public void SetSparkApplicationState(string @namespace, string name, string state, string errorMessage = "")
    {
        var application = _sparkApplications[(@namespace, name)];
        lock (application)
        {
            application["status"] = new JsonObject
            {
                ["applicationState"] = new JsonObject { ["state"] = state, ["errorMessage"] = errorMessage },
                ["sparkApplicationId"] = $"spark-{name}",
            };
        }
    }

    private void MapSparkApplications(string token)
    {
        _app.MapPost(SparkApplicationsPath, async (HttpContext http, string ns) =>
            Refusal(http, token, ns, "create") ?? Create(ns, await JsonNode.ParseAsync(http.Request.Body) as JsonObject));
        _app.MapGet($"{SparkApplicationsPath}/{{name}}", (HttpContext http, string ns, string name) =>
            Refusal(http, token, ns, "get") ?? (_sparkApplications.TryGetValue((ns, name), out var application) ? Snapshot(application) : NotFound(name)));
        _app.MapDelete($"{SparkApplicationsPath}/{{name}}", (HttpContext http, string ns, string name) =>
            Refusal(http, token, ns, "delete") ?? (_sparkApplications.TryRemove((ns, name), out _)
                ? Results.Json(new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Success", ["details"] = new JsonObject { ["name"] = name } })
                : NotFound(name)));
    }

    private IResult Create(string ns, JsonObject? application)
    {
        var name = (string?)application?["metadata"]?["name"];
        var spec = application?["spec"];
        if (application is null || (string?)application["kind"] != "SparkApplication" || string.IsNullOrEmpty(name)
            || string.IsNullOrEmpty((string?)spec?["sparkVersion"]) || string.IsNullOrEmpty((string?)spec?["mainApplicationFile"]))
        {
            return Status(422, "Invalid", $"SparkApplication.sparkoperator.k8s.io \"{name}\" is invalid: metadata.name, spec.sparkVersion and spec.mainApplicationFile are required");
        }

        application["metadata"]!["namespace"] = ns;
        application["metadata"]!["uid"] = Guid.NewGuid().ToString();
        application["metadata"]!["creationTimestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        return _sparkApplications.TryAdd((ns, name), application)
            ? Results.Json(application.DeepClone(), statusCode: 201)
            : Status(409, "AlreadyExists", $"sparkapplications.sparkoperator.k8s.io \"{name}\" already exists");
    }

    private static IResult Snapshot(JsonObject application)
    {
        lock (application)
        {
            return Results.Json(application.DeepClone());
        }
    }

    private static IResult NotFound(string name) => Status(404, "NotFound", $"sparkapplications.sparkoperator.k8s.io \"{name}\" not found");

    private IResult? Refusal(HttpContext http, string token, string ns, string verb)
    {
        if (http.Request.Headers.Authorization.ToString() != $"Bearer {token}")
        {
            return Status(401, "Unauthorized", "Unauthorized");
        }

        return _grantedNamespaces.Contains(ns) && _sparkApplicationVerbs.Contains(verb)
            ? null
            : Status(403, "Forbidden", $"sparkapplications.sparkoperator.k8s.io is forbidden: User \"system:serviceaccount:aero:aero\" cannot {verb} resource \"sparkapplications\" in API group \"sparkoperator.k8s.io\" in the namespace \"{ns}\"");
    }
}
