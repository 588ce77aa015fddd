using System.Text.Json.Nodes;
using Aero.Warehouse.BigQuery;
using Akka.Actor;
using Spectre.Console;

namespace Aero.Node.Admin.Verbs;

/// <summary><c>aero cluster tail [--count N]</c>: the node's latest cluster events, oldest first.</summary>
public sealed class ClusterTailVerb : IAdminVerb
{
    public string Group => "cluster";

    public string Name => "tail";

    public string Description => "Show the node's latest cluster events (members joining, up, unreachable, leaving, removed; leader changes)";

    public bool Mutates => false;

    public IReadOnlyList<AdminParameter> Parameters => [new("count", "How many of the latest events (default 20; the node keeps aero.admin.cluster-events)")];

    public async Task<JsonObject> ExecuteAsync(AdminContext context, AdminArguments arguments, CancellationToken cancellation)
    {
        var count = arguments.GetInt("count", 20, 1, int.MaxValue);
        var recent = await context.ClusterEvents.Ask<RecentClusterEvents>(new GetClusterEvents(count), TimeSpan.FromSeconds(10), cancellation);
        var events = new JsonArray();
        foreach (var e in recent.Events)
        {
            events.Add(new JsonObject { ["time"] = e.Time, ["event"] = e.Event, ["member"] = e.Member, ["status"] = e.Status });
        }

        return new JsonObject { ["events"] = events };
    }

    public void Render(JsonObject result, IAnsiConsole console)
    {
        var table = new Table().AddColumn(new TableColumn("Time (UTC)").NoWrap()).AddColumn("Event").AddColumn(new TableColumn("Member").NoWrap()).AddColumn("Status");
        foreach (var e in result["events"]!.AsArray())
        {
            table.AddRow(
                e!["time"]!.GetValue<DateTimeOffset>().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture),
                e["event"]!.GetValue<string>(),
                Markup.Escape(e["member"]!.GetValue<string>()),
                e["status"]!.GetValue<string>());
        }

        console.Write(table);
    }
}
