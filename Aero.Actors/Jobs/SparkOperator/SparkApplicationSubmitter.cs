using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Akka.Event;
using k8s;
using k8s.Autorest;

namespace Aero.Actors.Jobs.SparkOperator;

/// <summary>
/// Submits a Spark SQL run as a <c>SparkApplication</c> (sparkoperator.k8s.io/v1beta2) and follows its state. The
/// resource is named after the run, so a coordinator that fails over and submits the same run again adopts the
/// application already there instead of starting a second one; only that name needs remembering to re-adopt it.
/// Needs the Role in k8s/spark-operator-rbac.yaml.
/// </summary>
public sealed partial class SparkApplicationSubmitter(IKubernetes kubernetes, SparkOperatorSettings settings, ILoggingAdapter log)
{
    public const string Group = "sparkoperator.k8s.io";
    public const string Version = "v1beta2";
    public const string Plural = "sparkapplications";

    /// <summary>A client for the cluster: the kubeconfig file when set, else the pod's service account.</summary>
    public static IKubernetes Connect(SparkOperatorSettings settings) => new Kubernetes(
        settings.Kubeconfig.Length > 0
            ? KubernetesClientConfiguration.BuildConfigFromConfigFile(settings.Kubeconfig)
            : KubernetesClientConfiguration.InClusterConfig());

    /// <summary>The resource name of a run: <c>aero-</c> and the run id as a DNS label.</summary>
    public static string NameOf(string runId)
    {
        var label = InvalidNameCharacters().Replace(runId.ToLowerInvariant(), "-").Trim('-');
        var name = $"aero-{label}";
        return name.Length <= 63 && label.Length > 0
            ? name
            : throw new ArgumentException($"run id \"{runId}\" does not make a Kubernetes name (lower-case letters, digits and '-', at most 58 characters).", nameof(runId));
    }

    /// <summary>Creates the application that runs <paramref name="sql"/>, or adopts the one this run created before.</summary>
    public async Task<string> SubmitAsync(string runId, string sql, CancellationToken cancellationToken)
    {
        var name = NameOf(runId);
        try
        {
            await kubernetes.CustomObjects.CreateNamespacedCustomObjectAsync(Application(name, runId, sql), Group, Version, settings.Namespace, Plural, cancellationToken: cancellationToken);
            log.Info("Spark Operator: submitted SparkApplication {0}/{1} for run {2}", settings.Namespace, name, runId);
        }
        catch (HttpOperationException error) when (error.Response.StatusCode == HttpStatusCode.Conflict)
        {
            log.Info("Spark Operator: SparkApplication {0}/{1} exists already; following it rather than submitting run {2} twice", settings.Namespace, name, runId);
        }
        catch (HttpOperationException error)
        {
            throw Refused("submit", name, error);
        }

        return name;
    }

    public async Task<SparkApplicationStatus> GetStatusAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var body = await kubernetes.CustomObjects.GetNamespacedCustomObjectAsync(Group, Version, settings.Namespace, Plural, name, cancellationToken);
            var state = JsonSerializer.SerializeToNode(body)?["status"];
            return new SparkApplicationStatus(
                name,
                (string?)state?["applicationState"]?["state"] ?? string.Empty,
                (string?)state?["applicationState"]?["errorMessage"] ?? string.Empty,
                (string?)state?["sparkApplicationId"] ?? string.Empty);
        }
        catch (HttpOperationException error)
        {
            throw Refused("read", name, error);
        }
    }

    /// <summary>Polls every <c>poll-interval</c> until the application completes or fails; logs each new state.</summary>
    public async Task<SparkApplicationStatus> WaitAsync(string name, CancellationToken cancellationToken)
    {
        var last = (string?)null;
        while (true)
        {
            var status = await GetStatusAsync(name, cancellationToken);
            if (status.State != last)
            {
                log.Info("Spark Operator: SparkApplication {0}/{1} is {2}", settings.Namespace, name, status.State.Length > 0 ? status.State : "(not yet seen by the operator)");
                last = status.State;
            }

            if (status.Finished)
            {
                return status;
            }

            await Task.Delay(settings.PollInterval, cancellationToken);
        }
    }

    /// <summary>Deletes the application, which stops its driver and executors; one already gone is fine.</summary>
    public async Task CancelAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await kubernetes.CustomObjects.DeleteNamespacedCustomObjectAsync(Group, Version, settings.Namespace, Plural, name, cancellationToken: cancellationToken);
            log.Info("Spark Operator: deleted SparkApplication {0}/{1}", settings.Namespace, name);
        }
        catch (HttpOperationException error) when (error.Response.StatusCode == HttpStatusCode.NotFound)
        {
            log.Info("Spark Operator: SparkApplication {0}/{1} was gone already", settings.Namespace, name);
        }
        catch (HttpOperationException error)
        {
            throw Refused("delete", name, error);
        }
    }

    private JsonObject Application(string name, string runId, string sql) => new()
    {
        ["apiVersion"] = $"{Group}/{Version}",
        ["kind"] = "SparkApplication",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = settings.Namespace,
            ["labels"] = new JsonObject { ["app.kubernetes.io/managed-by"] = "aero", ["aero/run"] = name },
            ["annotations"] = new JsonObject { ["aero/run-id"] = runId },
        },
        ["spec"] = new JsonObject
        {
            ["type"] = "Python",
            ["mode"] = "cluster",
            ["sparkVersion"] = settings.SparkVersion,
            ["image"] = settings.Image,
            ["mainApplicationFile"] = settings.MainApplicationFile,
            ["arguments"] = new JsonArray(sql),
            // Aero retries a failed run itself, as a new run; the operator must not run it again behind its back.
            ["restartPolicy"] = new JsonObject { ["type"] = "Never" },
            ["timeToLiveSeconds"] = (long)settings.TimeToLive.TotalSeconds,
            ["driver"] = new JsonObject { ["cores"] = settings.DriverCores, ["memory"] = settings.DriverMemory, ["serviceAccount"] = settings.ServiceAccount },
            ["executor"] = new JsonObject { ["cores"] = settings.ExecutorCores, ["memory"] = settings.ExecutorMemory, ["instances"] = settings.ExecutorInstances },
        },
    };

    private InvalidOperationException Refused(string action, string name, HttpOperationException error)
    {
        var hint = error.Response.StatusCode == HttpStatusCode.Forbidden ? " (the service account needs the Role in k8s/spark-operator-rbac.yaml)" : string.Empty;
        return new InvalidOperationException(
            $"The Kubernetes API refused to {action} SparkApplication {settings.Namespace}/{name}: {(int)error.Response.StatusCode} {error.Response.ReasonPhrase}{hint}. {error.Response.Content}", error);
    }

    [GeneratedRegex("[^a-z0-9-]+")]
    private static partial Regex InvalidNameCharacters();
}
