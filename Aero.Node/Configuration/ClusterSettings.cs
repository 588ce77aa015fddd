using System.Collections.Immutable;
using System.Globalization;
using Aero.Actors.Configuration;
using Akka.Actor;
using Akka.Configuration;

namespace Aero.Node.Configuration;

/// <summary>
/// How a node joins the Akka cluster: <c>aero.cluster</c> (see hocon/aero.conf). Turned into the <c>akka.remote</c> and
/// <c>akka.cluster</c> settings by <see cref="ToAkkaConfig"/>, so operators set a handful of keys, not Akka's tree.
/// </summary>
public sealed record ClusterSettings(
    string Hostname,
    int Port,
    ClusterDiscovery Discovery,
    ImmutableArray<string> SeedNodes,
    BootstrapSettings Bootstrap,
    ImmutableArray<string> Roles,
    TimeSpan StableAfter,
    RemotingTlsSettings Tls)
{
    /// <summary>The ActorSystem's name; part of every node address, so all nodes of a cluster share it.</summary>
    public const string SystemName = "aero";

    public static readonly ImmutableArray<string> KnownRoles = ["ingest", "coordinator"];

    public static ClusterSettings Create(ActorSystem system) => Create(system.Settings.Config);

    public static ClusterSettings Create(Config config) => new ClusterSettings(
        SettingsKeys.Text(config, "aero.cluster.hostname"),
        SettingsKeys.WholeNumber(config, "aero.cluster.port"),
        ParseDiscovery(SettingsKeys.Text(config, "aero.cluster.discovery")),
        [.. SettingsKeys.TextList(config, "aero.cluster.seed-nodes")],
        BootstrapSettings.Create(config),
        [.. SettingsKeys.TextList(config, "aero.cluster.roles")],
        SettingsKeys.Duration(config, "aero.cluster.split-brain-resolver.stable-after"),
        RemotingTlsSettings.Create(config)).Validate();

    /// <summary>The scheme of every node address: Akka names TLS links apart, so a plain node cannot even address a TLS one.</summary>
    public string Protocol => Tls.Enabled ? "akka.ssl.tcp" : "akka.tcp";

    /// <summary>No seed nodes and no discovery: this node forms a cluster of its own by joining itself.</summary>
    public bool JoinsItself => Discovery == ClusterDiscovery.SeedNodes && SeedNodes.IsEmpty;

    /// <summary>The node joins through Akka.Management cluster bootstrap, which the host starts.</summary>
    public bool Bootstraps => Discovery == ClusterDiscovery.KubernetesApi;

    public ClusterSettings WithHostname(string hostname) => (this with { Hostname = hostname }).Validate();

    public ClusterSettings WithPort(int port) => (this with { Port = port }).Validate();

    public ClusterSettings WithDiscovery(ClusterDiscovery discovery) => (this with { Discovery = discovery }).Validate();

    public ClusterSettings WithSeedNodes(IEnumerable<string> seedNodes) => (this with { SeedNodes = [.. seedNodes] }).Validate();

    public ClusterSettings WithBootstrap(BootstrapSettings bootstrap) => (this with { Bootstrap = bootstrap }).Validate();

    public ClusterSettings WithRoles(IEnumerable<string> roles) => (this with { Roles = [.. roles] }).Validate();

    public ClusterSettings WithStableAfter(TimeSpan stableAfter) => (this with { StableAfter = stableAfter }).Validate();

    public ClusterSettings WithTls(RemotingTlsSettings tls) => (this with { Tls = tls }).Validate();

    /// <summary>Akka's remoting, cluster and split brain resolver settings for these values.</summary>
    public Config ToAkkaConfig()
    {
        var seeds = string.Join(", ", SeedNodes.Select(s => $"\"{Protocol}://{SystemName}@{s}\""));
        var roles = string.Join(", ", Roles.Select(r => $"\"{r}\""));
        var cluster = ConfigurationFactory.ParseString(string.Create(CultureInfo.InvariantCulture, $$"""
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp.hostname = "{{Hostname}}"
            akka.remote.dot-netty.tcp.port = {{Port}}
            akka.remote.dot-netty.tcp.enable-ssl = {{(Tls.Enabled ? "on" : "off")}}
            akka.cluster.seed-nodes = [{{seeds}}]
            akka.cluster.roles = [{{roles}}]
            akka.cluster.downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
            akka.cluster.split-brain-resolver.active-strategy = keep-majority
            akka.cluster.split-brain-resolver.stable-after = {{(long)StableAfter.TotalMilliseconds}}ms
            """));
        return Bootstraps
            ? cluster.WithFallback(Bootstrap.ToAkkaConfig(Hostname))
            : cluster;
    }

    private ClusterSettings Validate()
    {
        if (Port is < 0 or > 65535)
        {
            throw new ConfigurationException($"aero.cluster.port = {Port} is not valid: expected 0 (any free port) to 65535.");
        }

        if (Bootstraps && !SeedNodes.IsEmpty)
        {
            throw new ConfigurationException("aero.cluster.seed-nodes is not valid with aero.cluster.discovery = kubernetes-api: expected [] (cluster bootstrap finds the seeds, and Akka skips it when seed nodes are set).");
        }

        if (SeedNodes.FirstOrDefault(s => !IsHostAndPort(s)) is { } seed)
        {
            throw new ConfigurationException($"aero.cluster.seed-nodes: \"{seed}\" is not valid: expected host:port, e.g. \"127.0.0.1:4053\".");
        }

        if (Roles.FirstOrDefault(r => !KnownRoles.Contains(r)) is { } role)
        {
            throw new ConfigurationException($"aero.cluster.roles: \"{role}\" is not valid: expected any of {string.Join(", ", KnownRoles)}.");
        }

        return StableAfter > TimeSpan.Zero
            ? this
            : throw new ConfigurationException($"aero.cluster.split-brain-resolver.stable-after = {StableAfter} is not valid: expected a positive duration.");
    }

    private static ClusterDiscovery ParseDiscovery(string value) => value switch
    {
        "seed-nodes" => ClusterDiscovery.SeedNodes,
        "kubernetes-api" => ClusterDiscovery.KubernetesApi,
        _ => throw new ConfigurationException($"aero.cluster.discovery = \"{value}\" is not valid: expected seed-nodes or kubernetes-api."),
    };

    private static bool IsHostAndPort(string value)
    {
        var colon = value.LastIndexOf(':');
        return colon > 0 && int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535;
    }
}
