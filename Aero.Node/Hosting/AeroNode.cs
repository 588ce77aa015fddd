using Aero.Actors.Hosting;
using Aero.Node.Admin;
using Aero.Node.Configuration;
using Aero.Node.Health;
using Aero.Node.Metrics;
using Akka;
using Akka.Actor;
using Akka.Cluster.Tools.Singleton;
using Akka.Configuration;
using Akka.Event;
using Akka.Hosting;
using Akka.Logger.Serilog;
using Akka.Management.Cluster.Bootstrap;
using Akka.Management.Dsl;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using ClusterSettings = Aero.Node.Configuration.ClusterSettings;
using LogLevel = Akka.Event.LogLevel;

namespace Aero.Node.Hosting;

/// <summary>
/// One Aero node: a host (Microsoft.Extensions.Hosting, ASP.NET Core for its HTTP endpoint) running the ActorSystem
/// through Akka.Hosting as a cluster member. It hosts the <see cref="HostedGraph"/>s of its roles under a
/// <see cref="GraphsActor"/> once it is Up, the <see cref="HostedSingleton"/>s of its roles, and drains the graphs in
/// CoordinatedShutdown before leaving the cluster.
/// </summary>
public sealed class AeroNode : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource<bool> _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<IActorRef> _graphs = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly MeterBridge _meters;
    private Task _graphsStopped = Task.CompletedTask;
    private volatile GraphGaveUp? _gaveUp;
    private volatile GraphsStatus? _drainedStatus;

    private AeroNode(Config config, IReadOnlyList<HostedGraph> graphs, IReadOnlyList<HostedSingleton> singletons)
    {
        var logging = LoggingSettings.Create(config);
        var cluster = ClusterSettings.Create(config);
        var admin = AdminSettings.Create(config);
        var backoff = GraphBackoffSettings.Create(config);
        var drainTimeout = config.GetTimeSpan("aero.drain-timeout");

        Log.Logger = NodeLogging.Create(logging);
        _meters = NodeMetrics.BridgeMeters();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog(Log.Logger);
        builder.Services.AddSingleton<IHostLifetime, CommandLifetime>();
        // Draining may take the whole drain timeout, and leaving the cluster comes after it.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = drainTimeout + TimeSpan.FromSeconds(30));
        builder.WebHost.UseUrls($"http://{admin.Hostname}:{admin.Port}");

        var akkaConfig = config
            .WithFallback(cluster.ToAkkaConfig())
            .WithFallback(ConfigurationFactory.ParseString($"""
                akka.actor.guardian-supervisor-strategy = "Akka.Actor.StoppingSupervisorStrategy, Akka"
                akka.coordinated-shutdown.phases.service-requests-done.timeout = {(long)(drainTimeout + TimeSpan.FromSeconds(10)).TotalMilliseconds}ms
                akka.log-dead-letters-during-shutdown = off
                # SIGTERM is the command's cancellation, which drains the graphs and then leaves the cluster; Akka's own
                # process-exit hook would start the leave at once, racing the drain, and the node would exit 1.
                akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
                """))
            .WithFallback(ConfigurationFactory.ParseString(NodeMetrics.AkkaConfig));
        builder.Services.AddAkka(ClusterSettings.SystemName, akka =>
        {
            akka.AddHocon(akkaConfig, HoconAddMode.Prepend);
            if (cluster.Tls.Enabled)
            {
                akka.AddSetup(cluster.Tls.ToSslSetup());
            }

            akka.ConfigureLoggers(loggers =>
            {
                loggers.LogLevel = AkkaLevel(logging.Level);
                loggers.ClearLoggers();
                loggers.AddLogger<SerilogLogger>();
            });
            akka.WithActors((system, registry) =>
            {
                var mine = graphs.Where(g => cluster.Roles.Contains(g.Role)).ToList();
                var graphsActor = system.ActorOf(GraphsActor.Props(mine, backoff, gaveUp => _gaveUp = gaveUp), "graphs");
                registry.Register<GraphsActor>(graphsActor);
                registry.Register<ClusterEventsActor>(system.ActorOf(ClusterEventsActor.Props(admin.ClusterEventsKept), "cluster-events"));
                _graphs.TrySetResult(graphsActor);
                _graphsStopped = graphsActor.WatchAsync();
                StartSingletons(system, singletons, cluster);
                NodeMetrics.Start(system);

                var akkaCluster = Akka.Cluster.Cluster.Get(system);
                akkaCluster.RegisterOnMemberUp(() => graphsActor.Tell(StartGraphs.Instance));
                CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceRequestsDone, "drain-graphs", () => DrainAsync(system, graphsActor, drainTimeout));
                if (cluster.JoinsItself)
                {
                    akkaCluster.Join(akkaCluster.SelfAddress);
                }
                else if (cluster.Bootstraps)
                {
                    _ = BootstrapAsync(system, cluster.Hostname, cluster.Bootstrap);
                }
            });
        });

        builder.Services.AddSingleton(services =>
        {
            var registry = services.GetRequiredService<ActorRegistry>();
            return new AdminContext(services.GetRequiredService<ActorSystem>(), registry.Get<GraphsActor>(), registry.Get<ClusterEventsActor>(), drainTimeout);
        });

        _app = builder.Build();
        AdminEndpoint.Map(_app, admin);
        NodeMetrics.Map(_app);
        HealthEndpoint.Map(_app);
    }

    public ActorSystem System => _app.Services.GetRequiredService<ActorSystem>();

    /// <summary>The node's <see cref="GraphsActor"/>; it stops by itself only when a graph failed past its restarts (<see cref="GaveUp"/>).</summary>
    public IActorRef Graphs => _graphs.Task.Result;

    /// <summary>Completes when the <see cref="GraphsActor"/> stopped: a graph failed past its restarts, or the node stopped.</summary>
    public Task GraphsStopped => _graphsStopped;

    /// <summary>Why the graphs stopped by themselves: the graph that kept failing with one cause, and that cause.</summary>
    public GraphGaveUp? GaveUp => _gaveUp;

    /// <summary>After a drain: each graph's state, restarts and latest failure.</summary>
    public GraphsStatus? DrainedStatus => _drainedStatus;

    /// <summary>Set when the host is stopping for any reason, including the ActorSystem ending by itself (downed).</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    /// <summary>After <see cref="StopAsync"/>: whether every graph drained and committed.</summary>
    public Task<bool> Drained => _drained.Task;

    /// <summary>The node stopped because it left the cluster (asked to, e.g. by <c>aero cluster leave</c>), not because it was downed.</summary>
    public bool LeftCluster => CoordinatedShutdown.Get(System).ShutdownReason is CoordinatedShutdown.ClusterLeavingReason;

    /// <summary>The HTTP endpoint's address, with the port actually bound.</summary>
    public Uri AdminUri => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public static AeroNode Create(Config config, IReadOnlyList<HostedGraph> graphs, IReadOnlyList<HostedSingleton> singletons) => new(config, graphs, singletons);

    public Task StartAsync(CancellationToken cancellation) => _app.StartAsync(cancellation);

    /// <summary>Runs CoordinatedShutdown: drains the graphs, leaves the cluster, terminates the ActorSystem.</summary>
    public async Task StopAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        // Nothing drained when the system had already gone (downed, or the graphs failed).
        _drained.TrySetResult(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _meters.Dispose();
        await Log.CloseAndFlushAsync();
    }

    private static void StartSingletons(ActorSystem system, IReadOnlyList<HostedSingleton> singletons, ClusterSettings cluster)
    {
        foreach (var singleton in singletons)
        {
            if (cluster.Roles.Contains(singleton.Role))
            {
                system.ActorOf(
                    ClusterSingletonManager.Props(singleton.Props, PoisonPill.Instance, ClusterSingletonManagerSettings.Create(system).WithRole(singleton.Role)),
                    singleton.Name);
            }

            system.ActorOf(
                ClusterSingletonProxy.Props($"/user/{singleton.Name}", ClusterSingletonProxySettings.Create(system).WithRole(singleton.Role)),
                singleton.ProxyName);
        }
    }

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

    private async Task<Done> DrainAsync(ActorSystem system, IActorRef graphs, TimeSpan timeout)
    {
        if (_graphsStopped.IsCompleted)
        {
            _drained.TrySetResult(false);
            return Done.Instance;
        }

        try
        {
            var status = await graphs.Ask<GraphsStatus>(new DrainGraphs(timeout), timeout + TimeSpan.FromSeconds(5));
            _drainedStatus = status;
            _drained.TrySetResult(status.Graphs.All(g => g.State == GraphState.Stopped));
        }
        catch (Exception error)
        {
            system.Log.Error(error, "The graphs did not drain");
            _drained.TrySetResult(false);
        }

        return Done.Instance;
    }

    private static LogLevel AkkaLevel(Serilog.Events.LogEventLevel level) => level switch
    {
        Serilog.Events.LogEventLevel.Verbose or Serilog.Events.LogEventLevel.Debug => LogLevel.DebugLevel,
        Serilog.Events.LogEventLevel.Information => LogLevel.InfoLevel,
        Serilog.Events.LogEventLevel.Warning => LogLevel.WarningLevel,
        _ => LogLevel.ErrorLevel,
    };
}
