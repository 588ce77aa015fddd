using Aero.Node.Configuration;
using Aero.Node.Hosting;
using Akka.Configuration;
using Xunit;

namespace Aero.Node.Tests.Configuration;

public sealed class NodeSettingsSpec
{
    private static readonly Config Defaults = AeroConfiguration.Load(null, _ => null);

    [Fact]
    public void A_single_node_by_default_should_join_itself_with_keep_majority()
    {
        var cluster = ClusterSettings.Create(Defaults);
        var akka = cluster.ToAkkaConfig();

        Assert.True(cluster.JoinsItself);
        Assert.Equal(["ingest", "coordinator"], cluster.Roles.ToArray());
        Assert.Equal("keep-majority", akka.GetString("akka.cluster.split-brain-resolver.active-strategy"));
        Assert.Equal(TimeSpan.FromSeconds(20), akka.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after"));
    }

    [Fact]
    public void Seed_nodes_should_become_akka_addresses()
    {
        var cluster = ClusterSettings.Create(Defaults).WithSeedNodes(["127.0.0.1:4053", "127.0.0.1:4054"]);

        Assert.Equal(["akka.tcp://aero@127.0.0.1:4053", "akka.tcp://aero@127.0.0.1:4054"], cluster.ToAkkaConfig().GetStringList("akka.cluster.seed-nodes"));
    }

    [Fact]
    public void Kubernetes_discovery_should_bootstrap_through_the_management_port_and_never_join_itself()
    {
        var hocon = "aero.cluster { hostname = \"10.4.0.7\", discovery = kubernetes-api, bootstrap { namespace = flights, required-contact-points = 5 } }";
        var cluster = ClusterSettings.Create(ConfigurationFactory.ParseString(hocon).WithFallback(Defaults));
        var akka = cluster.ToAkkaConfig();

        Assert.False(cluster.JoinsItself);
        Assert.True(cluster.Bootstraps);
        Assert.Empty(akka.GetStringList("akka.cluster.seed-nodes"));
        Assert.Equal("10.4.0.7", akka.GetString("akka.management.http.hostname"));
        Assert.Equal(8558, akka.GetInt("akka.management.http.port"));
        Assert.Equal("management", akka.GetString("akka.management.cluster.bootstrap.contact-point-discovery.port-name"));
        Assert.Equal(5, akka.GetInt("akka.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr"));
        var method = akka.GetString("akka.management.cluster.bootstrap.contact-point-discovery.discovery-method");
        Assert.Equal(typeof(KubernetesPodDiscovery), Type.GetType(akka.GetString($"akka.discovery.{method}.class")));
        Assert.Equal("flights", cluster.Bootstrap.Namespace);
    }

    [Theory]
    [InlineData("aero.cluster.discovery = consul", "aero.cluster.discovery", "seed-nodes or kubernetes-api")]
    [InlineData("aero.cluster { discovery = kubernetes-api, seed-nodes = [\"127.0.0.1:4053\"] }", "aero.cluster.seed-nodes", "expected []")]
    [InlineData("aero.cluster.bootstrap.required-contact-points = 0", "aero.cluster.bootstrap.required-contact-points", "at least 1")]
    [InlineData("aero.cluster.bootstrap.management-port = 0", "aero.cluster.bootstrap.management-port", "1 to 65535")]
    [InlineData("aero.cluster.seed-nodes = [\"nohost\"]", "aero.cluster.seed-nodes", "host:port")]
    [InlineData("aero.cluster.roles = [ingest, cook]", "aero.cluster.roles", "ingest, coordinator")]
    [InlineData("aero.cluster.port = 70000", "aero.cluster.port", "0 (any free port) to 65535")]
    public void A_bad_cluster_value_should_name_the_key_and_what_was_expected(string hocon, string key, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => ClusterSettings.Create(ConfigurationFactory.ParseString(hocon).WithFallback(Defaults)));

        Assert.Contains(key, error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void An_admin_endpoint_beyond_loopback_should_require_a_token()
    {
        var loopback = AdminSettings.Create(Defaults);

        var error = Assert.Throws<ConfigurationException>(() => loopback.WithHostname("0.0.0.0"));
        var exposed = loopback.WithToken("t0ken").WithHostname("0.0.0.0");

        Assert.True(loopback.IsLoopback);
        Assert.Contains("aero.admin.token", error.Message);
        Assert.False(exposed.IsLoopback);
        Assert.DoesNotContain("t0ken", exposed.ToString());
    }

    [Fact]
    public void The_admin_endpoint_should_keep_at_least_one_cluster_event()
    {
        var admin = AdminSettings.Create(Defaults);

        var error = Assert.Throws<ConfigurationException>(() => admin.WithClusterEventsKept(0));

        Assert.Equal(200, admin.ClusterEventsKept);
        Assert.Contains("aero.admin.cluster-events", error.Message);
    }

    [Fact]
    public void A_bad_log_format_should_name_the_key_and_the_choices()
    {
        var error = Assert.Throws<ConfigurationException>(() => LoggingSettings.Create(ConfigurationFactory.ParseString("aero.logging.format = xml").WithFallback(Defaults)));

        Assert.Contains("aero.logging.format", error.Message);
        Assert.Contains("text or json", error.Message);
    }

    /// <summary>issue 14 §2: defaults live in hocon/aero.conf alone, so a key missing from it is named, never filled in by code.</summary>
    [Theory]
    [InlineData("aero.admin { hostname = \"127.0.0.1\", token = \"\", cluster-events = 5 }", "aero.admin.port")]
    [InlineData("aero.cluster.bootstrap { service-name = aero, pod-label-selector = \"app={0}\", namespace = \"\" }", "aero.cluster.bootstrap.management-port")]
    [InlineData("aero.logging { format = text, level = information }", "aero.logging.file")]
    [InlineData("aero.run { once-stall-timeout = 2m }", "aero.run.once-poll-interval")]
    [InlineData("aero.embedded-kafka.brokers = 1", "aero.embedded-kafka.partitions")]
    [InlineData("", "aero.drain-timeout")]
    public void A_missing_key_should_be_named_rather_than_defaulted_in_code(string hocon, string key)
    {
        var config = ConfigurationFactory.ParseString(hocon);
        Func<object> create = key.Split('.')[1] switch
        {
            "admin" => () => AdminSettings.Create(config),
            "cluster" => () => BootstrapSettings.Create(config),
            "logging" => () => LoggingSettings.Create(config),
            "run" => () => RunSettings.Create(config),
            "embedded-kafka" => () => EmbeddedKafkaSettings.Create(config),
            _ => () => DrainSettings.Create(config),
        };

        var error = Assert.Throws<ConfigurationException>(create);

        Assert.Contains(key, error.Message);
        Assert.Contains("missing", error.Message);
    }

    /// <summary>issue 14 §2: a <c>With*</c> copy is range-checked like a value read from the configuration, naming the key.</summary>
    [Fact]
    public void With_copies_should_be_range_checked_naming_the_full_key()
    {
        var error = Assert.Throws<ConfigurationException>(() => AdminSettings.Create(Defaults).WithPort(70_000));
        var drain = Assert.Throws<ConfigurationException>(() => DrainSettings.Create(Defaults).WithTimeout(TimeSpan.Zero));
        var poll = Assert.Throws<ConfigurationException>(() => RunSettings.Create(Defaults).WithOncePollInterval(TimeSpan.Zero));

        Assert.Contains("aero.admin.port = 70000", error.Message);
        Assert.Contains("aero.drain-timeout", drain.Message);
        Assert.Contains("aero.run.once-poll-interval", poll.Message);
        Assert.Contains("aero.embedded-kafka.partitions = 0", Assert.Throws<ConfigurationException>(() => EmbeddedKafkaSettings.Create(Defaults).WithPartitions(0)).Message);
    }
}
