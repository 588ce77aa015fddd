using System.Text.Json.Nodes;
using Aero.Actors.Jobs;
using Spectre.Console;

namespace Aero.Node.Admin.Verbs;

/// <summary><c>aero jobs run NAME [--period DUE]</c>: runs a job now, for the period due at DUE (default: now); its rows for that period are replaced.</summary>
public sealed class JobsRunVerb : IAdminVerb
{
    public string Group => "jobs";

    public string Name => "run";

    public string Description => "Run a job now (answers once started; aero jobs history NAME shows how it ended)";

    public bool Mutates => true;

    public IReadOnlyList<AdminParameter> Parameters =>
        [new("name", "The job", Positional: true, Required: true), new("period", "The due time of the period to run, ISO 8601 in UTC (default: now)")];

    public async Task<JsonObject> ExecuteAsync(AdminContext context, AdminArguments arguments, CancellationToken cancellation)
    {
        DateTimeOffset? due = null;
        if (arguments.Get("period") is { } period)
        {
            due = DateTimeOffset.TryParse(period, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed.ToUniversalTime()
                : throw new AdminRequestException($"period = \"{period}\" is not valid: expected an ISO 8601 time such as 2026-12-07T10:00:00Z.");
        }

        var run = await JobRuns.AskAsync<JobRunRecord>(context, new RunJobNow(arguments.Required("name"), due), cancellation);
        return new JsonObject { ["runs"] = new JsonArray(JobRuns.ToJson(run)) };
    }

    public void Render(JsonObject result, IAnsiConsole console) => JobRuns.Render(result["runs"]!.AsArray(), console);
}
