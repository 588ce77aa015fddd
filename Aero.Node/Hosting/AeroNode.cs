using Aero.Actors.Hosting;
using Aero.Actors.Jobs;
using Aero.Node.Admin;
using Aero.Node.Configuration;
using Aero.Node.Dashboard;
using Aero.Node.Health;
using Aero.Node.Metrics;
using Aero.Warehouse;
using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using ClusterSettings = Aero.Node.Configuration.ClusterSettings;

namespace Aero.Node.Hosting;

/// <summary>
/// One Aero node: a host (Microsoft.Extensions.Hosting, ASP.NET Core for its HTTP endpoint) running the ActorSystem
/// through Akka.Hosting as a cluster member, composed of <see cref="AeroHostingExtensions"/>: the cluster, the
/// <see cref="HostedGraph"/>s of its roles under a <see cref="GraphsActor"/> once it is Up, the coordinator singleton,
/// the admin API, metrics and the live dashboard. It drains the graphs in CoordinatedShutdown before leaving the cluster.
/// </summary>
public sealed class AeroNode : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HostedGraphs _graphs;
    private readonly MeterBridge _meters;

    private AeroNode(Config config, IReadOnlyList<HostedGraph> graphs, IWarehouseQuery? warehouse, JobsRuntime? jobs)
    {
        // Every setting is read (and so checked) before anything starts.
        var logging = LoggingSettings.Create(config);
        var cluster = ClusterSettings.Create(config);
        var admin = AdminSettings.Create(config);
        var backoff = GraphBackoffSettings.Create(config);
        var drain = DrainSettings.Create(config);
        var dashboard = DashboardSettings.Create(config);
        var windows = new WindowFeed(dashboard.WindowsKept);
        _graphs = new HostedGraphs(graphs);

        _meters = NodeMetrics.BridgeMeters();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog(Log.Logger);
        builder.Services.AddSingleton<IHostLifetime, CommandLifetime>();
        // Draining may take the whole drain timeout, and leaving the cluster comes after it.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = drain.Timeout + TimeSpan.FromSeconds(30));
        builder.WebHost.UseUrls($"http://{admin.Hostname}:{admin.Port}");

        builder.Services.AddAkka(ClusterSettings.SystemName, akka => akka
            .AddHocon(config.WithFallback(ConfigurationFactory.ParseString($$"""
                akka.actor.guardian-supervisor-strategy = "Akka.Actor.StoppingSupervisorStrategy, Akka"
                akka.log-dead-letters-during-shutdown = off
                # Before the loggers start and after they stop (the last lines of a shutdown) Akka logs through its
                # fallback logger, by default to standard output, which is the command's.
                akka.stdout-loglevel = WARNING
                akka.stdout-logger-class = "{{typeof(SerilogFallbackLogger).AssemblyQualifiedName}}"
                # SIGTERM is the command's cancellation, which drains the graphs and then leaves the cluster; Akka's own
                # process-exit hook would start the leave at once, racing the drain, and the node would exit 1.
                akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
                """)), HoconAddMode.Prepend)
            .WithAeroLogging(logging)
            .WithAeroCluster(cluster)
            .WithHostedGraphs(_graphs, cluster.Roles, backoff, drain)
            .WithCoordinator(cluster.Roles)
            .WithAeroAdmin(admin)
            .WithAeroMetrics()
            .WithActors((system, _) => system.ActorOf(WindowFeedActor.Props(dashboard.WindowsTopic, windows), "dashboard-windows")));

        if (jobs is not null)
        {
            // The coordinator's job scheduler finds it here (JobSchedulerActor.PropsFor).
            builder.Services.AddSingleton(jobs);
        }

        builder.Services.AddSingleton(services =>
        {
            var registry = services.GetRequiredService<ActorRegistry>();
            return new AdminContext(services.GetRequiredService<ActorSystem>(), registry.Get<GraphsActor>(), registry.Get<ClusterEventsActor>(), drain.Timeout);
        });

        _app = builder.Build();
        AdminEndpoint.Map(_app, admin);
        NodeMetrics.Map(_app);
        HealthEndpoint.Map(_app);
        DashboardEndpoint.Map(_app, admin, warehouse is null || jobs is null ? null : new DashboardData(warehouse, dashboard, DashboardQueries.SummaryTable(jobs, dashboard)), windows);
    }

    public ActorSystem System => _app.Services.GetRequiredService<ActorSystem>();

    /// <summary>The node's <see cref="GraphsActor"/>; it stops by itself only when a graph failed past its restarts (<see cref="GaveUp"/>).</summary>
    public IActorRef Graphs => _graphs.Actor.Result;

    /// <summary>Completes when the <see cref="GraphsActor"/> stopped: a graph failed past its restarts, or the node stopped.</summary>
    public Task GraphsStopped => _graphs.Stopped;

    /// <summary>Why the graphs stopped by themselves: the graph that kept failing with one cause, and that cause.</summary>
    public GraphGaveUp? GaveUp => _graphs.GaveUp;

    /// <summary>After a drain: each graph's state, restarts and latest failure.</summary>
    public GraphsStatus? DrainedStatus => _graphs.DrainedStatus;

    /// <summary>Set when the host is stopping for any reason, including the ActorSystem ending by itself (downed).</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    /// <summary>After <see cref="StopAsync"/>: whether every graph drained and committed.</summary>
    public Task<bool> Drained => _graphs.Drained;

    /// <summary>The node stopped because it left the cluster (asked to, e.g. by <c>aero cluster leave</c>), not because it was downed.</summary>
    public bool LeftCluster => CoordinatedShutdown.Get(System).ShutdownReason is CoordinatedShutdown.ClusterLeavingReason;

    /// <summary>The HTTP endpoint's address, with the port actually bound.</summary>
    public Uri AdminUri => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>Reads (and so checks) every setting a node needs, naming the key of a bad one, before anything starts.</summary>
    public static void CheckSettings(Config config) =>
        _ = (LoggingSettings.Create(config), ClusterSettings.Create(config), AdminSettings.Create(config), GraphBackoffSettings.Create(config), DrainSettings.Create(config),
            DashboardSettings.Create(config));

    /// <summary>A node logging to Serilog's <see cref="Log.Logger"/>, which the command has set up (<see cref="NodeLogging"/>).</summary>
    /// <param name="config">The effective configuration (see <see cref="AeroConfiguration"/>).</param>
    /// <param name="graphs">The graphs offered; the node runs those of its roles.</param>
    /// <param name="warehouse">The warehouse the dashboard reads its views from; without one it says there is no data.</param>
    /// <param name="jobs">The jobs its coordinator schedules when it hosts the coordinator singleton; none when null.</param>
    public static AeroNode Create(Config config, IReadOnlyList<HostedGraph> graphs, IWarehouseQuery? warehouse = null, JobsRuntime? jobs = null) =>
        new(config, graphs, warehouse, jobs);

    public Task StartAsync(CancellationToken cancellation) => _app.StartAsync(cancellation);

    /// <summary>Runs CoordinatedShutdown: drains the graphs, leaves the cluster, terminates the ActorSystem.</summary>
    public async Task StopAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        // Nothing drained when the system had already gone (downed, or the graphs failed).
        _graphs.NothingDrained();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _meters.Dispose();
    }
}
