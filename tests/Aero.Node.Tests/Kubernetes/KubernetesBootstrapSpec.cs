using System.Net;
using System.Text.Json.Nodes;
using Aero.Node.Tests.Cluster;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Node.Tests.Kubernetes;

/// <summary>
/// The GKE discovery path on loopback: three node processes at 127.0.0.2, .3 and .4 find each other through a fake
/// Kubernetes API that lists the pods of k8s/deployment.yaml, probe each other's Akka.Management endpoints, and form
/// one cluster (the lowest address first), which then loads records exactly once. Each node reaches the API as a pod
/// does on GKE, through its service account's files (<see cref="PodServiceAccount"/>); a service account without the
/// Role, reached through a kubeconfig as on a laptop, is told what it lacks.
/// </summary>
public sealed class KubernetesBootstrapSpec(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private const string Namespace = "aero-spec";
    private readonly LoopbackCluster _cluster = new(output);
    private readonly string _token = "service-account-token-" + Guid.NewGuid().ToString("N");
    private FakeKubernetesApi _api = null!;
    private int _managementPort;

    public async Task InitializeAsync()
    {
        Preconditions.LoopbackAddresses("127.0.0.2", "127.0.0.3", "127.0.0.4");
        // The same port on each pod address, as every pod of a Deployment declares the same container port.
        _managementPort = LoopbackCluster.FreePort(IPAddress.Parse("127.0.0.2"));
        _api = await FakeKubernetesApi.StartAsync(Pods(KubernetesManifests.Load()), _token, new HashSet<string> { Namespace });
    }

    [Fact]
    public async Task Three_pods_should_bootstrap_one_cluster_through_kubernetes_api_discovery()
    {
        const int records = 3_000;
        await _cluster.StartKafkaAsync();
        var serviceAccount = Path.Combine(_cluster.Directory, "serviceaccount");
        var environment = await _api.WriteServiceAccountAsync(serviceAccount, Namespace, _token);
        // No kubeconfig to find: the client must take its in-cluster path.
        environment["HOME"] = _cluster.Directory;
        var launcher = PodServiceAccount.Launcher(serviceAccount);
        var nodes = new List<ClusterNode>();
        for (var i = 0; i < 3; i++)
        {
            // The namespace is left empty, as in hocon/gke.conf: the node lists pods in its own, from the service account.
            var config = await _cluster.WriteConfigAsync($"pod{i}", $$"""
                aero.cluster {
                  hostname = "127.0.0.{{2 + i}}"
                  discovery = kubernetes-api
                  bootstrap { management-port = {{_managementPort}}, required-contact-points = 3, stable-margin = 2s }
                }
                akka.management.cluster.bootstrap.contact-point.probe-interval = 1s
                """);
            nodes.Add(await _cluster.StartNodeAsync(config, environment, launcher));
        }

        await LoopbackCluster.AwaitAsync(async () => (await _cluster.ShowAsync(nodes[2])).Members.Count(m => m.Status == "Up") == 3, "3 Up members");
        var view = await _cluster.ShowAsync(nodes[2]);
        Assert.Equal(["127.0.0.2", "127.0.0.3", "127.0.0.4"], view.Members.Select(m => new Uri(m.Address).Host).Order());
        // The lowest contact point formed the cluster, so it is the oldest member and hosts the coordinator.
        Assert.Equal("127.0.0.2", new Uri(view.Coordinator!).Host);
        // Every node found the others through the API, with the service account's token and the manifest's label.
        Assert.NotEmpty(_api.Requests);
        Assert.All(_api.Requests, r => Assert.Equal(new PodListRequest(Namespace, "app=aero", Authorized: true), r));

        await _cluster.ProduceAsync(records);
        await LoopbackCluster.AwaitAsync(async () => (await _cluster.QueryAsync(nodes[0], "SELECT count(*) FROM flights_raw"))[0] == records, $"{records} rows");
        Assert.Equal(new long[] { records, records }, await _cluster.QueryAsync(nodes[0], "SELECT count(*), count(DISTINCT event_id) FROM flights_raw"));

        foreach (var node in nodes)
        {
            node.Process.Terminate();
        }

        foreach (var node in nodes)
        {
            Assert.Equal(0, await node.Process.ExitCodeAsync(LoopbackCluster.Timeout));
        }
    }

    [Fact]
    public async Task A_service_account_without_the_pod_reader_role_should_be_told_what_it_lacks()
    {
        await _cluster.StartKafkaAsync();
        var environment = await WriteKubeconfigAsync();
        const string elsewhere = "not-granted";
        var config = await _cluster.WriteConfigAsync("pod", $$"""
            aero.cluster {
              hostname = "127.0.0.2"
              discovery = kubernetes-api
              bootstrap { namespace = {{elsewhere}}, management-port = {{_managementPort}}, required-contact-points = 1 }
            }
            """);

        var node = await _cluster.StartNodeAsync(config, environment);

        await node.Process.WaitForOutputAsync($"The Kubernetes API refused to list pods in namespace {elsewhere}: the pod's service account needs the pod-reader Role", LoopbackCluster.Timeout);
        Assert.Contains(_api.Requests, r => r == new PodListRequest(elsewhere, "app=aero", Authorized: true));
        node.Process.Terminate();
        await node.Process.ExitCodeAsync(LoopbackCluster.Timeout);
    }

    public Task DisposeAsync() => _api.DisposeAsync().AsTask();

    public void Dispose() => _cluster.Dispose();

    /// <summary>The API's address, CA and a service account's token, as a kubeconfig the nodes are pointed at.</summary>
    private async Task<Dictionary<string, string>> WriteKubeconfigAsync()
    {
        var kubeconfig = Path.Combine(_cluster.Directory, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, _api.Kubeconfig(Namespace, _token));
        // A pod finds the API through the service account mount; a process outside a cluster, through a kubeconfig.
        return new Dictionary<string, string> { ["KUBECONFIG"] = kubeconfig };
    }

    /// <summary>
    /// The Deployment's pods as the API server lists them: three Running at 127.0.0.2-4, one more still Pending
    /// without an IP (a rollout's surge pod), and a pod of another app that the label selector must leave out.
    /// </summary>
    private List<JsonObject> Pods(KubernetesManifests manifests)
    {
        var template = manifests.Get("Deployment", "aero")["spec"]!["template"]!;
        var replicas = (int)(long)manifests.Get("Deployment", "aero")["spec"]!["replicas"]!;
        var pods = Enumerable.Range(0, replicas).Select(i => Pod($"aero-7c9d8f6b5-{i}", template, "Running", $"127.0.0.{2 + i}")).ToList();
        pods.Add(Pod("aero-7c9d8f6b5-surge", template, "Pending", null));
        var other = Pod("kafka-0", template, "Running", "127.0.0.9");
        other["metadata"]!["labels"] = new JsonObject { ["app"] = "kafka" };
        pods.Add(other);
        return pods;
    }

    private JsonObject Pod(string name, JsonNode template, string phase, string? ip)
    {
        var spec = template["spec"]!.DeepClone();
        foreach (var port in spec["containers"]!.AsArray().SelectMany(c => c!["ports"]?.AsArray() ?? []))
        {
            if (((string?)port!["name"])?.Contains("management", StringComparison.Ordinal) == true)
            {
                port["containerPort"] = _managementPort;
            }
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = Namespace,
                ["uid"] = Guid.NewGuid().ToString(),
                ["labels"] = template["metadata"]!["labels"]!.DeepClone(),
            },
            ["spec"] = spec,
            ["status"] = new JsonObject
            {
                ["phase"] = phase,
                ["hostIP"] = "127.0.0.1",
                ["podIP"] = ip,
            },
        };
    }
}
