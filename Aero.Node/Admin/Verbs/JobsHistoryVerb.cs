using System.Text.Json.Nodes;
using Aero.Actors.Jobs;
using Spectre.Console;

namespace Aero.Node.Admin.Verbs;

/// <summary><c>aero jobs history NAME [--limit N]</c>: a job's latest runs from <c>_aero_jobs</c>, newest first.</summary>
public sealed class JobsHistoryVerb : IAdminVerb
{
    public string Group => "jobs";

    public string Name => "history";

    public string Description => "Show a job's latest runs: state, attempts, engine, start, end, rows written, error";

    public bool Mutates => false;

    public IReadOnlyList<AdminParameter> Parameters => [new("name", "The job", Positional: true, Required: true), new("limit", "How many runs (default 20)")];

    public async Task<JsonObject> ExecuteAsync(AdminContext context, AdminArguments arguments, CancellationToken cancellation)
    {
        var history = await JobRuns.AskAsync<JobHistory>(context, new GetJobHistory(arguments.Required("name"), arguments.GetInt("limit", 20, 1, 1000)), cancellation);
        return new JsonObject { ["job"] = history.Job, ["runs"] = new JsonArray([.. history.Runs.Select(r => (JsonNode)JobRuns.ToJson(r))]) };
    }

    public void Render(JsonObject result, IAnsiConsole console) => JobRuns.Render(result["runs"]!.AsArray(), console);
}
