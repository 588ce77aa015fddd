using System.Text.Json.Nodes;
using Aero.Actors.Jobs;
using Spectre.Console;

namespace Aero.Node.Admin.Verbs;

/// <summary><c>aero jobs cancel RUN-ID</c>: stops a run's engine work and records it cancelled.</summary>
public sealed class JobsCancelVerb : IAdminVerb
{
    public string Group => "jobs";

    public string Name => "cancel";

    public string Description => "Cancel a running or retrying job run (its engine's work stops; nothing of it is written)";

    public bool Mutates => true;

    public IReadOnlyList<AdminParameter> Parameters => [new("run-id", "The run, as aero jobs history shows it", Positional: true, Required: true)];

    public async Task<JsonObject> ExecuteAsync(AdminContext context, AdminArguments arguments, CancellationToken cancellation)
    {
        var outcome = await JobRuns.AskAsync<JobRunCancelled>(context, new CancelJobRun(arguments.Required("run-id")), cancellation);
        return outcome.Run is null
            ? throw new AdminRequestException($"There is no run {outcome.RunId}.", 404)
            : new JsonObject { ["cancelled"] = outcome.Cancelled, ["runs"] = new JsonArray(JobRuns.ToJson(outcome.Run)) };
    }

    public void Render(JsonObject result, IAnsiConsole console)
    {
        if (!result["cancelled"]!.GetValue<bool>())
        {
            console.MarkupLine("[yellow]Not cancelled: the run was neither running nor retrying.[/]");
        }

        JobRuns.Render(result["runs"]!.AsArray(), console);
    }
}
