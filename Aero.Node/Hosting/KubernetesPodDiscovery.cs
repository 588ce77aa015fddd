using System.Net;
using Aero.Node.Configuration;
using Akka.Actor;
using Akka.Discovery;
using Akka.Event;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Aero.Node.Hosting;

/// <summary>
/// Akka.Discovery through the Kubernetes API, for cluster bootstrap: the Running pods labelled for the service, at
/// their pod IPs, with the port whose name contains the one asked for (<c>management</c>). It follows
/// Akka.Discovery.KubernetesApi's documented semantics; that package cannot run here, as its 1.5.73 build needs
/// KubernetesClient 17 and fails against the 19 and 21 our feed has (MissingMethodException on <c>V1PodList</c>).
/// The client is configured the standard way: a kubeconfig when one is set (KUBECONFIG, ~/.kube/config), otherwise
/// the pod's service account (token, CA and namespace under /var/run/secrets/kubernetes.io/serviceaccount).
/// </summary>
public sealed class KubernetesPodDiscovery : ServiceDiscovery
{
    /// <summary>The Akka.Discovery method name (<c>akka.discovery.aero-kubernetes-api</c>).</summary>
    public const string Method = "aero-kubernetes-api";

    private readonly ILoggingAdapter _log;
    private readonly BootstrapSettings _settings;
    private readonly Lazy<(IKubernetes Client, string Namespace)> _client;

    public KubernetesPodDiscovery(ExtendedActorSystem system)
    {
        _log = Logging.GetLogger(system, this);
        _settings = BootstrapSettings.Create(system.Settings.Config);
        // Created by a lookup, so a missing service account fails that lookup (logged, and retried by bootstrap with
        // back-off), not the node's start; a failure is not cached.
        _client = new Lazy<(IKubernetes, string)>(
            () =>
            {
                var config = KubernetesClientConfiguration.BuildDefaultConfig();
                var ns = _settings.Namespace.Length > 0 ? _settings.Namespace : config.Namespace ?? "default";
                return (new Kubernetes(config), ns);
            },
            LazyThreadSafetyMode.PublicationOnly);
    }

    public override async Task<Resolved> Lookup(Lookup lookup, TimeSpan resolveTimeout)
    {
        var (client, ns) = _client.Value;
        var selector = _settings.PodLabelSelectorFor(lookup.ServiceName);
        using var timeout = new CancellationTokenSource(resolveTimeout);
        V1PodList pods;
        try
        {
            pods = await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: selector, cancellationToken: timeout.Token);
        }
        catch (HttpOperationException error) when (error.Response.StatusCode == HttpStatusCode.Forbidden)
        {
            throw new InvalidOperationException($"The Kubernetes API refused to list pods in namespace {ns}: the pod's service account needs the pod-reader Role (k8s/rbac.yaml).", error);
        }

        var targets = Targets(pods, lookup.PortName).ToList();
        if (targets.Count == 0)
        {
            _log.Warning("No Running pod with label {0} and a port named {1} in namespace {2} ({3} pods listed)", selector, lookup.PortName, ns, pods.Items.Count);
        }

        return new Resolved(lookup.ServiceName, targets);
    }

    /// <summary>Pods that can be contacted: Running, not being deleted, with an IP, and with the port asked for.</summary>
    public static IEnumerable<ResolvedTarget> Targets(V1PodList pods, string? portName)
    {
        foreach (var pod in pods.Items)
        {
            if (pod.Metadata?.DeletionTimestamp is not null || pod.Status?.Phase != "Running" || string.IsNullOrWhiteSpace(pod.Status.PodIP))
            {
                continue;
            }

            int? port = null;
            if (portName is not null)
            {
                port = pod.Spec?.Containers?
                    .SelectMany(c => c.Ports ?? [])
                    .FirstOrDefault(p => p.Name?.Contains(portName, StringComparison.Ordinal) == true)?
                    .ContainerPort;
                if (port is null)
                {
                    continue;
                }
            }

            yield return new ResolvedTarget(pod.Status.PodIP, port, IPAddress.Parse(pod.Status.PodIP));
        }
    }
}
