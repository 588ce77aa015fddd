using Aero.Actors.Hosting;
using Aero.Node.Configuration;
using Akka;
using Akka.Actor;
using ClusterSettings = Aero.Node.Configuration.ClusterSettings;
using Akka.Cluster.Tools.Singleton;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Logger.Serilog;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Akka.Event;
using LogLevel = Akka.Event.LogLevel;
using Serilog;

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
    private Task _graphsStopped = Task.CompletedTask;

    private AeroNode(Config config, IReadOnlyList<HostedGraph> graphs, IReadOnlyList<HostedSingleton> singletons)
    {
        var logging = LoggingSettings.Create(config);
        var cluster = ClusterSettings.Create(config);
        var admin = AdminSettings.Create(config);
        var backoff = GraphBackoffSettings.Create(config);
        var drainTimeout = config.GetTimeSpan("aero.drain-timeout");

        Log.Logger = NodeLogging.Create(logging);
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
                """));
        builder.Services.AddAkka(ClusterSettings.SystemName, akka =>
        {
            akka.AddHocon(akkaConfig, HoconAddMode.Prepend);
            akka.ConfigureLoggers(loggers =>
            {
                loggers.LogLevel = AkkaLevel(logging.Level);
                loggers.ClearLoggers();
                loggers.AddLogger<SerilogLogger>();
            });
            akka.WithActors((system, registry) =>
            {
                var mine = graphs.Where(g => cluster.Roles.Contains(g.Role)).ToList();
                var graphsActor = system.ActorOf(GraphsActor.Props(mine, backoff), "graphs");
                registry.Register<GraphsActor>(graphsActor);
                _graphs.TrySetResult(graphsActor);
                _graphsStopped = graphsActor.WatchAsync();
                StartSingletons(system, singletons, cluster);

                var akkaCluster = Akka.Cluster.Cluster.Get(system);
                akkaCluster.RegisterOnMemberUp(() => graphsActor.Tell(StartGraphs.Instance));
                CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceRequestsDone, "drain-graphs", () => DrainAsync(system, graphsActor, drainTimeout));
                if (cluster.JoinsItself)
                {
                    akkaCluster.Join(akkaCluster.SelfAddress);
                }
            });
        });

        _app = builder.Build();
    }

    public ActorSystem System => _app.Services.GetRequiredService<ActorSystem>();

    /// <summary>The node's <see cref="GraphsActor"/>; it stops by itself only when a graph failed past its restarts.</summary>
    public IActorRef Graphs => _graphs.Task.Result;

    /// <summary>Completes when the <see cref="GraphsActor"/> stopped: a graph failed past its restarts, or the node stopped.</summary>
    public Task GraphsStopped => _graphsStopped;

    /// <summary>Set when the host is stopping for any reason, including the ActorSystem ending by itself (downed).</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    /// <summary>After <see cref="StopAsync"/>: whether every graph drained and committed.</summary>
    public Task<bool> Drained => _drained.Task;

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
                $"{singleton.Name}-proxy");
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
