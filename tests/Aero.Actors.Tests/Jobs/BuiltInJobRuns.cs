using Aero.Actors.Jobs;
using Aero.Warehouse;
using Akka.Event;

namespace Aero.Actors.Tests.Jobs;

/// <summary>The node's built-in jobs over the spec flights (<see cref="JobSpecFlights"/>), wired as the node wires them.</summary>
internal static class BuiltInJobRuns
{
    /// <summary>What a node over <paramref name="warehouse"/> hands its coordinator (engine = warehouse is its kind, runs in its <c>_aero_jobs</c>), with other <paramref name="settings"/> if given.</summary>
    public static JobsRuntime Runtime(IWarehouse warehouse, JobsSettings? settings = null)
    {
        var node = JobsRuntime.Create(JobConfig.Node, warehouse);
        return settings is null ? node : node with { Settings = settings };
    }

    /// <summary>Loads the flights (<paramref name="realFlights"/> of the real ones) and starts a scheduler of the node's jobs (or <paramref name="settings"/>') over <paramref name="warehouse"/>; nothing has run yet.</summary>
    public static async Task<JobScheduler> StartAsync(IWarehouse warehouse, JobsSettings? settings = null, int realFlights = JobSpecFlights.RealFlights)
    {
        await JobSpecFlights.LoadAsync(warehouse, realFlights);
        var runtime = Runtime(warehouse, settings);
        var scheduler = new JobScheduler(runtime.Settings, runtime.Engines, runtime.Store, runtime.Clock, "spec", NoLogger.Instance);
        await scheduler.StartAsync(CancellationToken.None);
        return scheduler;
    }

    /// <summary>
    /// Runs every job now, twice: a second run of a period replaces its rows, never adds to them. Returns each job's
    /// run as the first run recorded it (the second has the same id).
    /// </summary>
    public static async Task<IReadOnlyList<JobRunRecord>> RunEachTwiceAsync(JobScheduler scheduler)
    {
        var runs = new List<JobRunRecord>();
        foreach (var job in scheduler.Settings.Jobs)
        {
            runs.Add(await scheduler.RunNowAsync(job.Name, null, CancellationToken.None));
            await scheduler.WhenIdleAsync();
            await scheduler.RunNowAsync(job.Name, runs[^1].Due, CancellationToken.None);
            await scheduler.WhenIdleAsync();
        }

        return runs;
    }
}
