using Aero.Actors.Jobs;
using Aero.Actors.Jobs.Engines;
using Aero.Warehouse;
using Akka.Event;

namespace Aero.Actors.Tests.Jobs;

/// <summary>The node's built-in jobs over the spec flights (<see cref="JobSpecFlights"/>), on the warehouse's own engine.</summary>
internal static class BuiltInJobRuns
{
    /// <summary>Loads the flights and starts a scheduler of the node's jobs over <paramref name="warehouse"/>; nothing has run yet.</summary>
    public static async Task<JobScheduler> StartAsync(IWarehouse warehouse, string dialect, IReadOnlyDictionary<string, string> engines, JobsSettings? settings = null)
    {
        await JobSpecFlights.LoadAsync(warehouse);
        var scheduler = new JobScheduler(
            settings ?? JobsSettings.Create(JobConfig.Node, engines), Engines(warehouse, dialect), new JobRunStore((IWarehouseTransactions)warehouse, warehouse),
            TimeProvider.System, "spec", NoLogger.Instance);
        await scheduler.StartAsync(CancellationToken.None);
        return scheduler;
    }

    /// <summary>The engines a node over <paramref name="warehouse"/> has: its own, under the name <c>warehouse</c>.</summary>
    public static IReadOnlyDictionary<string, IJobEngine> Engines(IWarehouse warehouse, string dialect) =>
        new Dictionary<string, IJobEngine> { ["warehouse"] = new WarehouseSqlEngine("warehouse", dialect, (IWarehouseTransactions)warehouse) };

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
