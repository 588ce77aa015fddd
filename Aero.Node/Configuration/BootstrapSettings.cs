using System.Globalization;
using Aero.Actors.Configuration;
using Aero.Node.Hosting;
using Akka.Actor;
using Akka.Configuration;

namespace Aero.Node.Configuration;

/// <summary>
/// Cluster bootstrap through Kubernetes API discovery: <c>aero.cluster.bootstrap</c> (see hocon/aero.conf). Each node
/// lists the pods labelled for <see cref="ServiceName"/>, probes their Akka.Management endpoints, and once
/// <see cref="RequiredContactPoints"/> of them have agreed for <see cref="StableMargin"/>, the lowest address forms the
/// cluster and the others join it.
/// </summary>
public sealed record BootstrapSettings(
    string ServiceName,
    string PodLabelSelector,
    string Namespace,
    int ManagementPort,
    int RequiredContactPoints,
    TimeSpan StableMargin,
    bool NewClusterEnabled)
{
    /// <summary>The container port name discovery looks for; Akka.Management takes the first port whose name contains it.</summary>
    public const string ManagementPortName = "management";

    /// <summary>The label selector pods of <paramref name="serviceName"/> are listed with: {0} in <see cref="PodLabelSelector"/> replaced.</summary>
    public string PodLabelSelectorFor(string serviceName) => string.Format(CultureInfo.InvariantCulture, PodLabelSelector, serviceName);

    public static BootstrapSettings Create(ActorSystem system) => Create(system.Settings.Config);

    public static BootstrapSettings Create(Config config) => new BootstrapSettings(
        SettingsKeys.Text(config, "aero.cluster.bootstrap.service-name"),
        SettingsKeys.Text(config, "aero.cluster.bootstrap.pod-label-selector"),
        SettingsKeys.Text(config, "aero.cluster.bootstrap.namespace"),
        SettingsKeys.WholeNumber(config, "aero.cluster.bootstrap.management-port"),
        SettingsKeys.WholeNumber(config, "aero.cluster.bootstrap.required-contact-points"),
        SettingsKeys.Duration(config, "aero.cluster.bootstrap.stable-margin"),
        SettingsKeys.Flag(config, "aero.cluster.bootstrap.new-cluster-enabled")).Validate();

    public BootstrapSettings WithServiceName(string serviceName) => (this with { ServiceName = serviceName }).Validate();

    public BootstrapSettings WithPodLabelSelector(string podLabelSelector) => (this with { PodLabelSelector = podLabelSelector }).Validate();

    public BootstrapSettings WithNamespace(string @namespace) => (this with { Namespace = @namespace }).Validate();

    public BootstrapSettings WithManagementPort(int managementPort) => (this with { ManagementPort = managementPort }).Validate();

    public BootstrapSettings WithRequiredContactPoints(int requiredContactPoints) => (this with { RequiredContactPoints = requiredContactPoints }).Validate();

    public BootstrapSettings WithStableMargin(TimeSpan stableMargin) => (this with { StableMargin = stableMargin }).Validate();

    public BootstrapSettings WithNewClusterEnabled(bool newClusterEnabled) => (this with { NewClusterEnabled = newClusterEnabled }).Validate();

    /// <summary>Akka.Management's cluster bootstrap settings for a node at <paramref name="hostname"/>, discovering through <see cref="KubernetesPodDiscovery"/>.</summary>
    public Config ToAkkaConfig(string hostname) => ConfigurationFactory.ParseString(string.Create(CultureInfo.InvariantCulture, $$"""
        akka.management.http.hostname = "{{hostname}}"
        akka.management.http.port = {{ManagementPort}}
        akka.management.cluster.bootstrap {
          new-cluster-enabled = {{(NewClusterEnabled ? "on" : "off")}}
          contact-point-discovery {
            service-name = "{{ServiceName}}"
            port-name = "{{ManagementPortName}}"
            discovery-method = {{KubernetesPodDiscovery.Method}}
            required-contact-point-nr = {{RequiredContactPoints}}
            stable-margin = {{(long)StableMargin.TotalMilliseconds}}ms
          }
        }
        akka.discovery.{{KubernetesPodDiscovery.Method}}.class = "{{typeof(KubernetesPodDiscovery).AssemblyQualifiedName}}"
        """));

    private BootstrapSettings Validate()
    {
        if (string.IsNullOrWhiteSpace(ServiceName))
        {
            throw new ConfigurationException("aero.cluster.bootstrap.service-name is empty: expected the name the pods are labelled with, e.g. aero.");
        }

        if (!PodLabelSelector.Contains('=', StringComparison.Ordinal))
        {
            throw new ConfigurationException($"aero.cluster.bootstrap.pod-label-selector = \"{PodLabelSelector}\" is not valid: expected a label selector such as \"app={{0}}\" ({{0}} is the service name).");
        }

        if (ManagementPort is < 1 or > 65535)
        {
            throw new ConfigurationException($"aero.cluster.bootstrap.management-port = {ManagementPort} is not valid: expected 1 to 65535 (8558 by convention).");
        }

        if (RequiredContactPoints < 1)
        {
            throw new ConfigurationException($"aero.cluster.bootstrap.required-contact-points = {RequiredContactPoints} is not valid: expected at least 1 (the initial replica count).");
        }

        return StableMargin > TimeSpan.Zero
            ? this
            : throw new ConfigurationException($"aero.cluster.bootstrap.stable-margin = {StableMargin} is not valid: expected a positive duration.");
    }
}
