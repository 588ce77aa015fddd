using System.Text.Json.Nodes;
using Aero.Actors.Hosting;
using Aero.Warehouse.BigQuery;
using Akka.Actor;
using Spectre.Console;

namespace Aero.Node.Admin.Verbs;

/// <summary><c>aero pipeline status</c>: the node's hosted graphs, their state and restarts.</summary>
public sealed class PipelineStatusVerb : IAdminVerb
{
    public string Group => "pipeline";

    public string Name => "status";

    public string Description => "Show the node's stream graphs: state (Waiting, Running, BackingOff, Draining, Stopped, Failed), restarts and latest failure";

    public bool Mutates => false;

    public IReadOnlyList<AdminParameter> Parameters => [];

    public async Task<JsonObject> ExecuteAsync(AdminContext context, AdminArguments arguments, CancellationToken cancellation) =>
        ToJson(await context.Graphs.Ask<GraphsStatus>(GetGraphsStatus.Instance, TimeSpan.FromSeconds(10), cancellation));

    public void Render(JsonObject result, IAnsiConsole console) => RenderGraphs(result, console);

    internal static JsonObject ToJson(GraphsStatus status)
    {
        var graphs = new JsonArray();
        foreach (var graph in status.Graphs)
        {
            graphs.Add(new JsonObject
            {
                ["name"] = graph.Name, ["role"] = graph.Role, ["state"] = graph.State.ToString(), ["restarts"] = graph.Restarts, ["lastFailure"] = graph.LastFailure,
            });
        }

        return new JsonObject { ["graphs"] = graphs };
    }

    /// <summary>The graph named by the <c>graph</c> parameter, checked against the node's graphs; null for all of them.</summary>
    internal static async Task<string?> SelectedGraphAsync(AdminContext context, AdminArguments arguments, CancellationToken cancellation)
    {
        var name = arguments.Get("graph");
        if (name is null)
        {
            return null;
        }

        var status = await context.Graphs.Ask<GraphsStatus>(GetGraphsStatus.Instance, TimeSpan.FromSeconds(10), cancellation);
        return status.Graphs.Any(g => g.Name == name)
            ? name
            : throw new AdminRequestException($"This node hosts no graph \"{name}\". Graphs: {string.Join(", ", status.Graphs.Select(g => g.Name))}.", 404);
    }

    internal static void RenderGraphs(JsonObject result, IAnsiConsole console)
    {
        var table = new Table().AddColumns("Graph", "Role", "State", "Restarts", "Latest failure");
        foreach (var graph in result["graphs"]!.AsArray())
        {
            var state = graph!["state"]!.GetValue<string>();
            table.AddRow(
                Markup.Escape(graph["name"]!.GetValue<string>()),
                Markup.Escape(graph["role"]!.GetValue<string>()),
                state == nameof(GraphState.Failed) ? $"[red]{state}[/]" : state,
                graph["restarts"]!.GetValue<int>().ToString(System.Globalization.CultureInfo.InvariantCulture),
                Markup.Escape(graph["lastFailure"]?.GetValue<string>() ?? ""));
        }

        console.Write(table);
    }
}
