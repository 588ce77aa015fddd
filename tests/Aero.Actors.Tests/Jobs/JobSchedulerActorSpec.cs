using Aero.Actors.Jobs;
using Aero.Actors.Jobs.Engines;
using Aero.Warehouse;
using Aero.Warehouse.Tests;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Xunit;

namespace Aero.Actors.Tests.Jobs;

/// <summary>Issue 18 §1: the scheduler actor answers the admin verbs' commands, and an unknown job is a refusal, not a crash.</summary>
public sealed class JobSchedulerActorSpec : TestKit
{
    [Fact]
    public async Task The_scheduler_actor_should_run_a_job_when_asked_and_refuse_an_unknown_one()
    {
        using var store = new DuckDbTestStore();
        await using var warehouse = await store.OpenAsync();
        var settings = JobConfig.Only("""one { sql = "SELECT 1 AS one", output = job_one }""", settings: "scheduled = off");
        var engine = new WarehouseSqlEngine("warehouse", "duckdb", (IWarehouseTransactions)warehouse);
        var runtime = new JobsRuntime(settings, new Dictionary<string, IJobEngine> { ["warehouse"] = engine }, new JobRunStore((IWarehouseTransactions)warehouse, warehouse), TimeProvider.System);
        var scheduler = Sys.ActorOf(Props.Create(() => new JobSchedulerActor(runtime)));

        var started = await scheduler.Ask<JobRunRecord>(new RunJobNow("one", new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero)), TimeSpan.FromSeconds(30));
        await AwaitAssertAsync(async () =>
        {
            var history = await scheduler.Ask<JobHistory>(new GetJobHistory("one", 5), TimeSpan.FromSeconds(30));
            Assert.Equal((started.RunId, JobRunState.Succeeded, 1L), (history.Runs[0].RunId, history.Runs[0].State, history.Runs[0].RowsWritten));
        }, TimeSpan.FromSeconds(30));

        var refused = await Assert.ThrowsAsync<KeyNotFoundException>(() => scheduler.Ask<JobRunRecord>(new RunJobNow("two", null), TimeSpan.FromSeconds(30)));
        Assert.Contains("No job named two", refused.Message, StringComparison.Ordinal);
        var overview = await scheduler.Ask<JobsOverview>(GetJobs.Instance, TimeSpan.FromSeconds(30));
        Assert.Equal(JobRunState.Succeeded, Assert.Single(overview.Jobs).Latest!.State);
    }
}
