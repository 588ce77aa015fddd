using System.Text.Json.Nodes;
using Aero.Actors.Jobs;
using Spectre.Console;

namespace Aero.Node.Admin.Verbs;

/// <summary><c>aero jobs list</c>: the coordinator's jobs, their schedule and engine, and each one's latest run.</summary>
public sealed class JobsListVerb : IAdminVerb
{
    public string Group => "jobs";

    public string Name => "list";

    public string Description => "Show the jobs (aero.jobs.definitions): schedule, engine, output table, and the latest run";

    public bool Mutates => false;

    public IReadOnlyList<AdminParameter> Parameters => [];

    public async Task<JsonObject> ExecuteAsync(AdminContext context, AdminArguments arguments, CancellationToken cancellation)
    {
        var overview = await JobRuns.AskAsync<JobsOverview>(context, GetJobs.Instance, cancellation);
        var jobs = new JsonArray();
        foreach (var (job, latest) in overview.Jobs)
        {
            jobs.Add(new JsonObject
            {
                ["name"] = job.Name, ["schedule"] = job.Schedule.Text, ["engine"] = job.Engine, ["output"] = job.Flow is { } flow ? $"extracts {Path.Combine(flow.Watch, flow.Pattern)}" : job.Output,
                ["period"] = job.Period.ToString().ToLowerInvariant(), ["latest"] = latest is null ? null : JobRuns.ToJson(latest),
            });
        }

        return new JsonObject { ["jobs"] = jobs };
    }

    public void Render(JsonObject result, IAnsiConsole console)
    {
        var table = new Table().AddColumns("Job", "Schedule", "Engine", "Output", "Latest run", "State", "Rows");
        foreach (var job in result["jobs"]!.AsArray())
        {
            var latest = job!["latest"];
            table.AddRow(
                Markup.Escape(job["name"]!.GetValue<string>()), Markup.Escape(job["schedule"]!.GetValue<string>()),
                Markup.Escape(job["engine"]!.GetValue<string>()), Markup.Escape(job["output"]!.GetValue<string>()),
                Markup.Escape(latest?["runId"]?.GetValue<string>() ?? "never run"), Markup.Escape(latest?["state"]?.GetValue<string>() ?? ""),
                latest?["rowsWritten"]?.GetValue<long>().ToString("N0", System.Globalization.CultureInfo.InvariantCulture) ?? "");
        }

        console.Write(table);
    }
}
