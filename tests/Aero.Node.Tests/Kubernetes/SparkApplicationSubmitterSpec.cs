using System.Text.Json.Nodes;
using Aero.Actors.Jobs.SparkOperator;
using Aero.Node.Configuration;
using Akka.Event;
using Xunit;

namespace Aero.Node.Tests.Kubernetes;

/// <summary>
/// Issue 18 §2 and §3: a long Spark job submitted as a Kubeflow Spark Operator SparkApplication through
/// KubernetesClient, its state polled, against the fake Kubernetes API, with only the verbs k8s/'s Role grants.
/// </summary>
public sealed class SparkApplicationSubmitterSpec : IAsyncLifetime
{
    private const string Namespace = "aero";
    private const string Sql = "INSERT OVERWRITE TABLE delays_by_month SELECT year, month, avg(departure_delay) FROM flights GROUP BY year, month";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly string _token = Guid.NewGuid().ToString("N");
    private readonly string _kubeconfig = Path.Combine(Path.GetTempPath(), $"aero-spark-kubeconfig-{Guid.NewGuid():N}");
    private readonly KubernetesManifests _manifests = KubernetesManifests.Load();
    private FakeKubernetesApi _api = null!;

    public async Task InitializeAsync() => _api = await StartApiAsync(GrantedVerbs());

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        File.Delete(_kubeconfig);
    }

    [Fact]
    public async Task A_run_should_be_submitted_as_a_SparkApplication_and_followed_until_it_completes()
    {
        var submitter = Submitter(_api);

        var name = await submitter.SubmitAsync("delays-by-month:2024-01", Sql, CancellationToken.None);
        var waiting = submitter.WaitAsync(name, CancellationToken.None);
        var before = await submitter.GetStatusAsync(name, CancellationToken.None);
        _api.SetSparkApplicationState(Namespace, name, "RUNNING");
        var running = await submitter.GetStatusAsync(name, CancellationToken.None);
        _api.SetSparkApplicationState(Namespace, name, "COMPLETED");
        var done = await waiting.WaitAsync(Patience);

        Assert.Equal("aero-delays-by-month-2024-01", name);
        Assert.Equal(string.Empty, before.State);
        Assert.Equal("RUNNING", running.State);
        Assert.True(done.Succeeded);
        Assert.Equal($"spark-{name}", done.SparkApplicationId);
        var spec = Assert.Single(_api.SparkApplications)["spec"]!;
        Assert.Equal([Sql], spec["arguments"]!.AsArray().Select(a => (string?)a));
        Assert.Equal("Never", (string?)spec["restartPolicy"]!["type"]);
        Assert.Equal("4.0.1", (string?)spec["sparkVersion"]);
        Assert.Equal("local:///opt/aero/aero-spark-sql.py", (string?)spec["mainApplicationFile"]);
        Assert.Equal(86400, (long)spec["timeToLiveSeconds"]!);
    }

    [Fact]
    public async Task A_failed_application_should_be_reported_with_its_error()
    {
        var submitter = Submitter(_api);
        var name = await submitter.SubmitAsync("top-routes-2024-02", Sql, CancellationToken.None);

        _api.SetSparkApplicationState(Namespace, name, "FAILED", "driver container failed with ExitCode: 1");
        var status = await submitter.WaitAsync(name, CancellationToken.None).WaitAsync(Patience);

        Assert.True(status.Failed);
        Assert.Equal("driver container failed with ExitCode: 1", status.ErrorMessage);
    }

    [Fact]
    public async Task Submitting_a_run_again_should_adopt_its_application_rather_than_start_another()
    {
        var submitter = Submitter(_api);

        var first = await submitter.SubmitAsync("airline-ranking-2024-03", Sql, CancellationToken.None);
        var again = await submitter.SubmitAsync("airline-ranking-2024-03", Sql, CancellationToken.None);

        Assert.Equal(first, again);
        Assert.Single(_api.SparkApplications);
    }

    [Fact]
    public async Task Cancelling_should_delete_the_application()
    {
        var submitter = Submitter(_api);
        var name = await submitter.SubmitAsync("congestion-2024-04", Sql, CancellationToken.None);

        await submitter.CancelAsync(name, CancellationToken.None);
        await submitter.CancelAsync(name, CancellationToken.None);

        Assert.Empty(_api.SparkApplications);
    }

    [Fact]
    public async Task Without_the_Role_a_submission_should_fail_naming_the_manifest()
    {
        await using var api = await StartApiAsync(new HashSet<string>());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Submitter(api).SubmitAsync("propagation-2024-05", Sql, CancellationToken.None));

        Assert.Contains("403", error.Message, StringComparison.Ordinal);
        Assert.Contains("k8s/spark-operator-rbac.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_Role_should_be_bound_to_aeros_service_account_and_applied_with_the_rest()
    {
        var binding = _manifests.Get("RoleBinding", "aero-spark-application-submitter");
        var kustomization = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "k8s", "kustomization.yaml"));

        Assert.Equal("spark-application-submitter", (string?)binding["roleRef"]!["name"]);
        Assert.Contains(binding["subjects"]!.AsArray(), s => (string?)s!["kind"] == "ServiceAccount" && (string?)s["name"] == "aero");
        Assert.Contains("- spark-operator-rbac.yaml", kustomization, StringComparison.Ordinal);
    }

    /// <summary>The verbs the Role in k8s/ grants on sparkapplications: all the fake allows.</summary>
    private HashSet<string> GrantedVerbs() =>
    [
        .. _manifests.Get("Role", "spark-application-submitter")["rules"]!.AsArray()
            .Where(rule => Strings(rule!["apiGroups"]).Contains(SparkApplicationSubmitter.Group) && Strings(rule["resources"]).Contains(SparkApplicationSubmitter.Plural))
            .SelectMany(rule => Strings(rule!["verbs"])),
    ];

    private async Task<FakeKubernetesApi> StartApiAsync(IReadOnlySet<string> verbs)
    {
        var api = await FakeKubernetesApi.StartAsync([], _token, new HashSet<string> { Namespace }, verbs);
        await File.WriteAllTextAsync(_kubeconfig, api.Kubeconfig(Namespace, _token));
        return api;
    }

    private SparkApplicationSubmitter Submitter(FakeKubernetesApi api)
    {
        var settings = SparkOperatorSettings.Create(AeroConfiguration.Load(null, _ => null))
            .WithKubeconfig(_kubeconfig)
            .WithPollInterval(TimeSpan.FromMilliseconds(20));
        return new SparkApplicationSubmitter(SparkApplicationSubmitter.Connect(settings), settings, NoLogger.Instance);
    }

    private static List<string> Strings(JsonNode? array) => [.. array!.AsArray().Select(v => (string)v!)];
}
