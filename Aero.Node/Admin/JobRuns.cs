using System.Globalization;
using System.Text.Json.Nodes;
using Aero.Actors.Jobs;
using Aero.Node.Hosting;
using Akka.Actor;
using Spectre.Console;

namespace Aero.Node.Admin;

/// <summary>What the <c>aero jobs</c> verbs share: asking the coordinator's scheduler, and a run as JSON and as a table row.</summary>
internal static class JobRuns
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>Asks the coordinator singleton (through this node's proxy); its refusals become the admin API's.</summary>
    public static async Task<T> AskAsync<T>(AdminContext context, IJobCommand command, CancellationToken cancellation)
    {
        try
        {
            return await context.System.ActorSelection(NodeSingletons.Coordinator.ProxyPath).Ask<T>(command, Timeout, cancellation);
        }
        catch (AskTimeoutException)
        {
            throw new AdminRequestException($"The coordinator did not answer within {Timeout.TotalSeconds:0}s: it is moving, or its node runs no jobs (see its log).", 503);
        }
        catch (KeyNotFoundException error)
        {
            throw new AdminRequestException(error.Message, 404);
        }
        catch (InvalidOperationException error)
        {
            throw new AdminRequestException(error.Message, 409);
        }
    }

    public static JsonObject ToJson(JobRunRecord run) => new()
    {
        ["runId"] = run.RunId, ["job"] = run.Job, ["period"] = run.Period, ["due"] = JobPeriod.Format(run.Due), ["engine"] = run.Engine,
        ["state"] = run.State.ToString(), ["attempt"] = run.Attempt, ["started"] = Time(run.Started), ["ended"] = Time(run.Ended),
        ["rowsWritten"] = run.RowsWritten, ["error"] = run.Error,
    };

    /// <summary>The runs under <c>runs</c> of a verb's answer, as a table.</summary>
    public static void Render(JsonArray runs, IAnsiConsole console)
    {
        var table = new Table().AddColumns("Run", "State", "Attempt", "Engine", "Started", "Ended", "Rows", "Error");
        foreach (var run in runs)
        {
            var state = run!["state"]!.GetValue<string>();
            table.AddRow(
                Markup.Escape(run["runId"]!.GetValue<string>()),
                state == nameof(JobRunState.Failed) ? $"[red]{state}[/]" : state,
                run["attempt"]!.GetValue<int>().ToString(CultureInfo.InvariantCulture),
                Markup.Escape(run["engine"]!.GetValue<string>()),
                Markup.Escape(run["started"]?.GetValue<string>() ?? ""),
                Markup.Escape(run["ended"]?.GetValue<string>() ?? ""),
                run["rowsWritten"]?.GetValue<long>().ToString("N0", CultureInfo.InvariantCulture) ?? "",
                Markup.Escape(run["error"]?.GetValue<string>() ?? ""));
        }

        console.Write(table);
    }

    private static string? Time(DateTimeOffset? time) => time is { } t ? JobPeriod.Format(t) : null;
}
