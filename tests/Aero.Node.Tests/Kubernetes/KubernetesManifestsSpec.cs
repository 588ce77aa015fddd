using System.Text.Json.Nodes;
using Aero.Node.Configuration;
using Aero.Streams.Archive;
using Akka.Configuration;
using Xunit;

namespace Aero.Node.Tests.Kubernetes;

/// <summary>The k8s/ manifests agree with what hocon/gke.conf makes a node expect of its pod.</summary>
public sealed class KubernetesManifestsSpec
{
    // As in the pod: the admin API is exposed there, so the Secret's token is set.
    private static readonly Config Gke = AeroConfiguration.Load("gke", name => name == "AERO_ADMIN_TOKEN" ? "from-the-secret" : null);
    private readonly KubernetesManifests _manifests = KubernetesManifests.Load();

    [Fact]
    public void The_deployment_should_start_as_many_pods_as_bootstrap_waits_for_with_the_ports_and_label_it_looks_for()
    {
        var cluster = ClusterSettings.Create(Gke);
        var deployment = _manifests.Get("Deployment", "aero");
        var pod = deployment["spec"]!["template"]!;
        var container = pod["spec"]!["containers"]![0]!;
        var ports = container["ports"]!.AsArray().ToDictionary(p => (string)p!["name"]!, p => (long)p!["containerPort"]!);

        Assert.True(cluster.Bootstraps);
        Assert.Equal(cluster.Bootstrap.RequiredContactPoints, (long)deployment["spec"]!["replicas"]!);
        Assert.Equal(cluster.Bootstrap.ManagementPort, ports[BootstrapSettings.ManagementPortName]);
        Assert.Equal(cluster.Port, ports["akka-remote"]);
        Assert.Equal(AdminSettings.Create(Gke).Port, ports["admin"]);
        // pod-label-selector "app={0}" with the service name.
        Assert.Equal("app=aero", cluster.Bootstrap.PodLabelSelectorFor(cluster.Bootstrap.ServiceName));
        Assert.Equal("aero", (string?)pod["metadata"]!["labels"]!["app"]);
        Assert.Equal("aero", (string?)deployment["spec"]!["selector"]!["matchLabels"]!["app"]);
    }

    /// <summary>issue 14 §2 and §3: the pod runs the long-running node, not the laptop job, and logs for Cloud Logging.</summary>
    [Fact]
    public void The_pod_should_run_aero_serve_logging_json_lines()
    {
        var container = _manifests.Get("Deployment", "aero")["spec"]!["template"]!["spec"]!["containers"]![0]!;

        Assert.Equal("serve", string.Join(" ", container["args"]!.AsArray().Select(a => (string?)a)));
        Assert.Equal(LogFormat.Json, LoggingSettings.Create(Gke).Format);
    }

    [Fact]
    public void The_pod_should_run_the_gke_overlay_at_its_pod_ip_with_probes_on_the_health_endpoints()
    {
        var pod = _manifests.Get("Deployment", "aero")["spec"]!["template"]!["spec"]!;
        var container = pod["containers"]![0]!;
        var env = container["env"]!.AsArray().ToDictionary(e => (string)e!["name"]!, e => e!);

        Assert.Equal("gke", (string?)env["AERO_ENV"]["value"]);
        Assert.Equal("status.podIP", (string?)env[EnvironmentName("aero.cluster.hostname")]["valueFrom"]!["fieldRef"]!["fieldPath"]);
        Assert.Equal("token", (string?)env[EnvironmentName("aero.admin.token")]["valueFrom"]!["secretKeyRef"]!["key"]);
        Assert.Equal("/healthz/live", (string?)container["livenessProbe"]!["httpGet"]!["path"]);
        Assert.Equal("/healthz/ready", (string?)container["readinessProbe"]!["httpGet"]!["path"]);
        Assert.Equal("aero", (string?)pod["serviceAccountName"]);
        // SIGTERM drains the graphs, then the node leaves: the grace period must cover both.
        Assert.True((long)pod["terminationGracePeriodSeconds"]! > Gke.GetTimeSpan("aero.drain-timeout").TotalSeconds + 30);
    }

    [Fact]
    public void The_service_account_should_be_allowed_to_list_pods_and_the_service_should_publish_pods_before_they_are_ready()
    {
        var role = _manifests.Get("Role", "pod-reader");
        var binding = _manifests.Get("RoleBinding", "aero-pod-reader");
        var service = _manifests.Get("Service", "aero");
        var budget = _manifests.Get("PodDisruptionBudget", "aero");

        Assert.Contains(role["rules"]!.AsArray(), r => Strings(r!["resources"]).Contains("pods") && Strings(r["verbs"]).Contains("list"));
        Assert.Equal("pod-reader", (string?)binding["roleRef"]!["name"]);
        Assert.Contains(binding["subjects"]!.AsArray(), s => (string?)s!["kind"] == "ServiceAccount" && (string?)s["name"] == "aero");
        Assert.Equal("None", (string?)service["spec"]!["clusterIP"]);
        Assert.True((bool)service["spec"]!["publishNotReadyAddresses"]!);
        Assert.Equal(1, (long)budget["spec"]!["maxUnavailable"]!);
    }

    [Fact]
    public void Remoting_should_be_tls_with_the_certificate_and_password_of_a_secret_mounted_in_the_pod()
    {
        // issue 13 §2: remoting on GKE was plain and open to any pod.
        var tls = ClusterSettings.Create(Gke).Tls;
        var pod = _manifests.Get("Deployment", "aero")["spec"]!["template"]!["spec"]!;
        var container = pod["containers"]![0]!;
        var env = container["env"]!.AsArray().ToDictionary(e => (string)e!["name"]!, e => e!);
        var mount = container["volumeMounts"]!.AsArray().Single(m => tls.CertificatePath.StartsWith((string)m!["mountPath"]! + "/", StringComparison.Ordinal))!;
        var volume = pod["volumes"]!.AsArray().Single(v => (string?)v!["name"] == (string?)mount["name"])!;
        var passwordSecret = env[EnvironmentName("aero.cluster.tls.certificate-password")]["valueFrom"]!["secretKeyRef"]!;

        Assert.True(tls.Enabled);
        Assert.True((bool)mount["readOnly"]!);
        Assert.Equal("aero-remoting-tls", (string?)volume["secret"]!["secretName"]);
        Assert.Contains(volume["secret"]!["items"]!.AsArray(), i => (string?)i!["path"] == Path.GetFileName(tls.CertificatePath));
        Assert.Equal("aero-remoting-tls", (string?)passwordSecret["name"]);
        Assert.Equal("akka.ssl.tcp", ClusterSettings.Create(Gke).Protocol);
    }

    [Fact]
    public void The_network_policy_should_admit_only_aero_pods_to_the_remoting_and_management_ports()
    {
        var policy = _manifests.Get("NetworkPolicy", "aero");
        var spec = policy["spec"]!;
        var restricted = new[] { "akka-remote", "management" };

        Assert.Equal("aero", (string?)spec["podSelector"]!["matchLabels"]!["app"]);
        Assert.Contains("Ingress", Strings(spec["policyTypes"]));
        foreach (var rule in spec["ingress"]!.AsArray())
        {
            // A rule without ports admits every port; a rule without peers admits every source.
            var ports = rule!["ports"] is JsonArray listed ? listed.Select(p => (string)p!["port"]!).ToList() : null;
            if (ports is not null && !ports.Intersect(restricted).Any())
            {
                continue;
            }

            var peers = rule["from"]?.AsArray();
            Assert.True(peers is { Count: > 0 }, $"an ingress rule admits any source to {string.Join(", ", ports ?? ["every port"])}");
            Assert.All(peers, peer =>
            {
                Assert.Null(peer!["namespaceSelector"]);
                Assert.Null(peer["ipBlock"]);
                Assert.Equal("aero", (string?)peer["podSelector"]!["matchLabels"]!["app"]);
            });
        }

        Assert.Contains(spec["ingress"]!.AsArray(), r => r!["ports"] is JsonArray p && p.Any(x => (string?)x!["port"] == "akka-remote"));
    }

    /// <summary>issue 20: a long-running node keeps the archive, on GKE in the bucket the config map names.</summary>
    [Fact]
    public void The_pods_should_keep_the_archive_in_the_bucket_of_the_config_map_staging_files_on_a_volume_of_their_own()
    {
        var bucket = (string?)_manifests.Get("ConfigMap", "aero")["data"]![EnvironmentName("aero.archive.gcs.bucket")];
        var inPod = AeroConfiguration.Load("gke", name => name switch { "AERO_ADMIN_TOKEN" => "from-the-secret", "AERO_ARCHIVE_BUCKET" => bucket, _ => null });
        var pod = _manifests.Get("Deployment", "aero")["spec"]!["template"]!["spec"]!;
        var mounts = pod["containers"]![0]!["volumeMounts"]!.AsArray();
        var archive = ArchiveSettings.Create(inPod);

        Assert.True(archive.OnServe);
        Assert.False(string.IsNullOrEmpty(bucket));
        Assert.Equal(bucket, GcsArchiveSettings.Create(inPod).Bucket);
        // Each file is written under the archive's directory before its upload: a writable volume of the pod's own.
        var staging = Assert.Single(mounts, m => archive.Directory.StartsWith((string)m!["mountPath"]! + "/", StringComparison.Ordinal));
        Assert.NotEqual(true, (bool?)staging!["readOnly"]);
        var volume = Assert.Single(pod["volumes"]!.AsArray(), v => (string?)v!["name"] == (string?)staging["name"]);
        Assert.NotNull(volume!["emptyDir"]);
        // Without a bucket a pod refuses to start, rather than keep a part of the archive on a disk that goes with it.
        var refused = Assert.Throws<ConfigurationException>(() => GcsArchiveSettings.Create(Gke));
        Assert.Contains("aero.archive.gcs.bucket", refused.Message, StringComparison.Ordinal);
        Assert.Contains("AERO_ARCHIVE_BUCKET", refused.Message, StringComparison.Ordinal);
    }

    private static string EnvironmentName(string key) => AeroConfiguration.EnvironmentOverrides.Single(o => o.Value == key).Key;

    private static List<string> Strings(JsonNode? array) => [.. array!.AsArray().Select(v => (string)v!)];
}
