using Akka.Actor;
using Akka.DependencyInjection;
using Akka.Event;

namespace Aero.Actors.Jobs;

/// <summary>
/// The job scheduler as the coordinator's child, so it lives once in the cluster and moves with the singleton: it ticks
/// every <c>aero.jobs.tick-interval</c> and answers the <see cref="IJobCommand"/>s the coordinator forwards. A failing
/// tick (the warehouse away) is logged and the next one tries again; a failing job is a failed run, not a failed actor.
/// </summary>
public sealed class JobSchedulerActor : ReceiveActor, IWithTimers, IWithUnboundedStash, IDisposable
{
    private readonly JobScheduler _scheduler;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public JobSchedulerActor(JobsRuntime runtime)
    {
        var owner = $"{((ExtendedActorSystem)Context.System).Provider.DefaultAddress}#{Guid.NewGuid():N}";
        _scheduler = new JobScheduler(runtime.Settings, runtime.Engines, runtime.Store, runtime.Clock, owner, _log);
        // Commands that arrive before _aero_jobs is there wait for it.
        ReceiveAsync<Started>(async _ =>
        {
            await _scheduler.StartAsync(CancellationToken.None);
            Timers.StartPeriodicTimer("tick", Tick.Instance, TimeSpan.Zero, runtime.Settings.TickInterval);
            Stash.UnstashAll();
            Become(() => Ready(runtime));
        });
        ReceiveAny(_ => Stash.Stash());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    private void Ready(JobsRuntime runtime)
    {
        ReceiveAsync<Tick>(async _ =>
        {
            try
            {
                await _scheduler.TickAsync(CancellationToken.None);
            }
            catch (Exception error)
            {
                _log.Error(error, "Job scheduler: this tick failed; the next one tries again");
            }
        });
        ReceiveAsync<RunJobNow>(run => AnswerAsync(() => _scheduler.RunNowAsync(run.Job, run.Due, CancellationToken.None)));
        ReceiveAsync<CancelJobRun>(cancel => AnswerAsync(async () =>
            new JobRunCancelled(cancel.RunId, await _scheduler.CancelAsync(cancel.RunId, CancellationToken.None), await _scheduler.GetAsync(cancel.RunId, CancellationToken.None))));
        ReceiveAsync<GetJobHistory>(get => AnswerAsync(async () => new JobHistory(get.Job, await _scheduler.HistoryAsync(get.Job, get.Limit, CancellationToken.None))));
        ReceiveAsync<GetJobs>(_ => AnswerAsync(async () =>
        {
            var jobs = new List<(JobDefinition, JobRunRecord?)>();
            foreach (var job in runtime.Settings.Jobs)
            {
                jobs.Add((job, await _scheduler.HistoryAsync(job.Name, 1, CancellationToken.None) is [var latest, ..] ? latest : null));
            }

            return new JobsOverview(jobs);
        }));
    }

    /// <summary>The scheduler's props when the node registered a <see cref="JobsRuntime"/>; null otherwise.</summary>
    public static Props? PropsFor(ActorSystem system) =>
        system.Settings.Setup.Get<DependencyResolverSetup>().HasValue && DependencyResolver.For(system).Resolver.GetService<JobsRuntime>() is { } runtime
            ? Props.Create(() => new JobSchedulerActor(runtime))
            : null;

    protected override void PreStart() => Self.Tell(Started.Instance);

    protected override void PostStop() => Dispose();

    /// <summary>Stops the scheduler; called once the actor stopped (again, it does nothing).</summary>
    public void Dispose()
    {
        // Runs in progress are recorded for a retry at once, so the next coordinator takes them up without waiting out their lease.
        if (!_scheduler.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10)))
        {
            _log.Warning("Job scheduler: runs {0} did not stop within 10s; their leases will run out", string.Join(", ", _scheduler.Running));
        }
    }

    private async Task AnswerAsync<T>(Func<Task<T>> answer)
    {
        var sender = Sender;
        try
        {
            sender.Tell(await answer());
        }
        catch (Exception error)
        {
            sender.Tell(new Status.Failure(error));
        }
    }

    private sealed class Started
    {
        public static readonly Started Instance = new();
    }

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }
}
