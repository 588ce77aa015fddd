using Aero.Actors.Hosting;
using Aero.Node.Admin;
using Aero.Node.Configuration;
using Aero.Node.Metrics;
using Akka;
using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Configuration;
using Akka.Event;
using Akka.Hosting;
using Akka.Logger.Serilog;
using Akka.Management.Cluster.Bootstrap;
using Akka.Management.Dsl;
using Serilog.Events;
using ClusterSettings = Aero.Node.Configuration.ClusterSettings;

namespace Aero.Node.Hosting;

/// <summary>
/// The node's composition, as Akka.Hosting builder extensions in the manner of Akka.Hosting's own <c>WithClustering</c>
/// and <c>WithSingleton</c>: each adds its HOCON (as a fallback, so <c>akka.*</c> keys in a file win), its setups and
/// the actors it starts once the ActorSystem runs. <see cref="AeroNode"/> chains them.
/// </summary>
public static class AeroHostingExtensions
{
    /// <summary>Akka's log through Serilog (<see cref="NodeLogging"/>), at the level of <c>aero.logging.level</c>.</summary>
    public static AkkaConfigurationBuilder WithAeroLogging(this AkkaConfigurationBuilder akka, LoggingSettings logging) =>
        akka.ConfigureLoggers(loggers =>
        {
            loggers.LogLevel = logging.Level switch
            {
                LogEventLevel.Verbose or LogEventLevel.Debug => LogLevel.DebugLevel,
                LogEventLevel.Information => LogLevel.InfoLevel,
                LogEventLevel.Warning => LogLevel.WarningLevel,
                _ => LogLevel.ErrorLevel,
            };
            loggers.ClearLoggers();
            loggers.AddLogger<SerilogLogger>();
        });

    /// <summary>
    /// Remoting (TLS both ways when <c>aero.cluster.tls</c> says so), cluster membership with the keep-majority split
    /// brain resolver, and how the node joins: itself, its seed nodes, or Kubernetes cluster bootstrap.
    /// </summary>
    public static AkkaConfigurationBuilder WithAeroCluster(this AkkaConfigurationBuilder akka, ClusterSettings cluster)
    {
        akka.AddHocon(cluster.ToAkkaConfig(), HoconAddMode.Append);
        if (cluster.Tls.Enabled)
        {
            akka.AddSetup(cluster.Tls.ToSslSetup());
        }

        return akka.WithActors((system, registry) =>
        {
            var akkaCluster = Akka.Cluster.Cluster.Get(system);
            if (cluster.JoinsItself)
            {
                akkaCluster.Join(akkaCluster.SelfAddress);
            }
            else if (cluster.Bootstraps)
            {
                _ = BootstrapAsync(system, cluster.Hostname, cluster.Bootstrap);
            }
        });
    }

    /// <summary>
    /// The node's graphs of its <paramref name="roles"/> under a <see cref="GraphsActor"/> (registered in the
    /// <see cref="ActorRegistry"/>), started once the node is Up and drained in CoordinatedShutdown's
    /// <c>service-requests-done</c> phase, before the node leaves the cluster.
    /// </summary>
    public static AkkaConfigurationBuilder WithHostedGraphs(
        this AkkaConfigurationBuilder akka, HostedGraphs graphs, IReadOnlyCollection<string> roles, GraphBackoffSettings backoff, DrainSettings drain)
    {
        akka.AddHocon(
            ConfigurationFactory.ParseString(FormattableString.Invariant(
                $"akka.coordinated-shutdown.phases.service-requests-done.timeout = {(long)(drain.Timeout + TimeSpan.FromSeconds(10)).TotalMilliseconds}ms")),
            HoconAddMode.Append);
        return akka.WithActors((system, registry) =>
        {
            var mine = graphs.Graphs.Where(g => roles.Contains(g.Role)).ToList();
            var actor = system.ActorOf(GraphsActor.Props(mine, backoff, graphs.OnGaveUp), "graphs");
            registry.Register<GraphsActor>(actor);
            graphs.Started(actor);
            Akka.Cluster.Cluster.Get(system).RegisterOnMemberUp(() => actor.Tell(StartGraphs.Instance));
            CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceRequestsDone, "drain-graphs", () => graphs.DrainAsync(system, drain.Timeout));
        });
    }

    /// <summary>
    /// A cluster singleton through Akka.Cluster.Hosting: on nodes with its role the manager (the oldest of them runs
    /// the actor) and a proxy, on the others only the proxy; the proxy at <see cref="HostedSingleton.ProxyPath"/> is
    /// registered in the <see cref="ActorRegistry"/> under <typeparamref name="TKey"/>.
    /// </summary>
    public static AkkaConfigurationBuilder WithHostedSingleton<TKey>(this AkkaConfigurationBuilder akka, HostedSingleton singleton, IReadOnlyCollection<string> roles)
    {
        // The proxy starts its "failed to find the singleton after 30 seconds" timer with no initial delay, so it warns
        // the moment it starts (and again whenever the oldest member changes), before any singleton could have been
        // found. Its warning is off; `aero cluster show` says where the coordinator runs.
        akka.AddHocon(ConfigurationFactory.ParseString("akka.cluster.singleton-proxy.log-singleton-identification-failure = off"), HoconAddMode.Append);
        var options = new ClusterSingletonOptions { Role = singleton.Role };
        return roles.Contains(singleton.Role)
            ? akka.WithSingleton<TKey>(singleton.Name, singleton.Props, options)
            : akka.WithSingletonProxy<TKey>(singleton.Name, options);
    }

    /// <summary>The coordinator singleton (<see cref="NodeSingletons.Coordinator"/>), on the oldest node with the coordinator role.</summary>
    public static AkkaConfigurationBuilder WithCoordinator(this AkkaConfigurationBuilder akka, IReadOnlyCollection<string> roles) =>
        akka.WithHostedSingleton<Aero.Actors.Coordination.CoordinatorActor>(NodeSingletons.Coordinator, roles);

    /// <summary>What the admin API needs besides the graphs: the recent cluster events <c>aero cluster tail</c> shows.</summary>
    public static AkkaConfigurationBuilder WithAeroAdmin(this AkkaConfigurationBuilder akka, AdminSettings admin) =>
        akka.WithActors((system, registry) =>
            registry.Register<ClusterEventsActor>(system.ActorOf(ClusterEventsActor.Props(admin.ClusterEventsKept), "cluster-events")));

    /// <summary>Counting mailboxes and telemetry for <c>/metrics</c> (<see cref="NodeMetrics"/>).</summary>
    public static AkkaConfigurationBuilder WithAeroMetrics(this AkkaConfigurationBuilder akka) =>
        akka.AddHocon(ConfigurationFactory.ParseString(NodeMetrics.AkkaConfig), HoconAddMode.Append)
            .WithActors((system, _) => NodeMetrics.Start(system));

    /// <summary>
    /// Serves this node's bootstrap contact point (other pods probe it for this node's view of the seeds) and runs
    /// Akka.Management's cluster bootstrap, which joins the node once discovery is stable. A node that cannot
    /// bootstrap is of no use: it stops.
    /// </summary>
    private static async Task BootstrapAsync(ActorSystem system, string hostname, BootstrapSettings bootstrap)
    {
        try
        {
            system.Log.Info(
                "Bootstrapping the cluster through Kubernetes API discovery: service {0}, pods {1}, {2} contact points, management port {3}",
                bootstrap.ServiceName, bootstrap.PodLabelSelectorFor(bootstrap.ServiceName), bootstrap.RequiredContactPoints, bootstrap.ManagementPort);
            var endpoint = await BootstrapEndpoint.StartAsync(system, hostname, bootstrap.ManagementPort);
            // Others may probe this node until it has left the cluster.
            CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate, "stop-bootstrap-endpoint", async () =>
            {
                await endpoint.DisposeAsync();
                return Done.Instance;
            });
            var bootstrapper = ClusterBootstrap.Get(system);
            // Tells bootstrap its own contact point, as Akka.Management's HTTP server does when it mounts the route.
            _ = bootstrapper.Routes(ManagementRouteProviderSettings.Create(new Uri($"http://{hostname}:{bootstrap.ManagementPort}/"), readOnly: true));
            await bootstrapper.Start();
        }
        catch (Exception error)
        {
            system.Log.Error(error, "Cluster bootstrap could not start; stopping the node");
            await system.Terminate();
        }
    }
}
