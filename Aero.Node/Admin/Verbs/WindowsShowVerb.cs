using System.Globalization;
using System.Text.Json.Nodes;
using Aero.Actors.Windows;
using Aero.Node.Hosting;
using Akka.Actor;
using Spectre.Console;

namespace Aero.Node.Admin.Verbs;

/// <summary><c>aero windows show</c>: the open windows, each partition's watermark, the latest final windows (issue 17 §3), from the coordinator.</summary>
public sealed class WindowsShowVerb : IAdminVerb
{
    public string Group => "windows";

    public string Name => "show";

    public string Description => "Show the event-time windows: open ones, each partition's watermark (and whether idle), the latest finalized, late records";

    public bool Mutates => false;

    public IReadOnlyList<AdminParameter> Parameters => [];

    public async Task<JsonObject> ExecuteAsync(AdminContext context, AdminArguments arguments, CancellationToken cancellation)
    {
        var status = await context.System.ActorSelection(NodeSingletons.Coordinator.ProxyPath)
            .Ask<WindowsStatus>(GetWindowsStatus.Instance, TimeSpan.FromSeconds(10), cancellation);
        return new JsonObject
        {
            ["problem"] = status.Problem,
            ["watermark"] = Time(status.Watermark),
            ["lateRecords"] = status.LateRecords,
            ["open"] = new JsonArray([.. status.Open.Select(w => (JsonNode)new JsonObject { ["id"] = w.WindowId, ["start"] = Time(w.Start), ["end"] = Time(w.End) })]),
            ["partitions"] = new JsonArray([.. status.Partitions.Select(p => (JsonNode)new JsonObject
            {
                ["clusterId"] = p.ClusterId, ["topic"] = p.Topic, ["partition"] = p.Partition, ["maxEventTime"] = Time(p.MaxEventTime),
                ["watermark"] = Time(p.Watermark), ["updatedAt"] = Time(p.UpdatedAt), ["idle"] = p.Idle,
            })]),
            ["lastFinalized"] = new JsonArray([.. status.LastFinalized.Select(f => (JsonNode)new JsonObject
            {
                ["id"] = f.Window.WindowId, ["start"] = Time(f.Window.Start), ["end"] = Time(f.Window.End), ["watermark"] = Time(f.Watermark),
                ["finalizedAt"] = Time(f.FinalizedAt), ["closedBy"] = f.ClosedBy, ["flights"] = f.Flights,
            })]),
        };
    }

    public void Render(JsonObject result, IAnsiConsole console)
    {
        if (result["problem"]?.GetValue<string>() is { } problem)
        {
            console.MarkupLineInterpolated($"[yellow]{problem}[/]");
        }

        console.MarkupLineInterpolated($"Watermark: {Text(result["watermark"])}; open windows: {result["open"]!.AsArray().Count}; late records: {result["lateRecords"]}");
        var partitions = new Table().AddColumns("Topic", "Partition", "Highest event time", "Watermark", "Last batch", "Idle");
        foreach (var p in result["partitions"]!.AsArray())
        {
            partitions.AddRow(Text(p!["topic"]), Text(p["partition"]), Text(p["maxEventTime"]), Text(p["watermark"]), Text(p["updatedAt"]), Text(p["idle"]));
        }

        console.Write(partitions);
        var open = new Table().Title("Open windows").AddColumns("Window", "Start", "End");
        foreach (var w in result["open"]!.AsArray())
        {
            open.AddRow(Text(w!["id"]), Text(w["start"]), Text(w["end"]));
        }

        console.Write(open);
        var finalized = new Table().Title("Latest finalized").AddColumns("Window", "Start", "End", "Flights", "Closed by", "Finalized at");
        foreach (var f in result["lastFinalized"]!.AsArray())
        {
            finalized.AddRow(Text(f!["id"]), Text(f["start"]), Text(f["end"]), Text(f["flights"]), Text(f["closedBy"]), Text(f["finalizedAt"]));
        }

        console.Write(finalized);
    }

    private static string? Time(DateTime? time) => time?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string Text(JsonNode? node) => Markup.Escape(node?.ToString() ?? "");
}
