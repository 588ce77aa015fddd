using System.Text.Json.Nodes;
using Aero.Actors.Hosting;
using Akka.Actor;
using Spectre.Console;

namespace Aero.Node.Admin.Verbs;

/// <summary><c>aero pipeline pause [--graph NAME]</c>: drains graphs (in-flight records land and are committed) and keeps them stopped.</summary>
public sealed class PipelinePauseVerb : IAdminVerb
{
    public string Group => "pipeline";

    public string Name => "pause";

    public string Description => "Drain and stop the node's graphs (all, or --graph NAME) until resumed; answers once drained";

    public bool Mutates => true;

    public IReadOnlyList<AdminParameter> Parameters => [new("graph", "Only this graph (default: all)")];

    public async Task<JsonObject> ExecuteAsync(AdminContext context, AdminArguments arguments, CancellationToken cancellation)
    {
        var graph = await PipelineStatusVerb.SelectedGraphAsync(context, arguments, cancellation);
        var status = await context.Graphs.Ask<GraphsStatus>(new PauseGraphs(graph, context.DrainTimeout), context.DrainTimeout + TimeSpan.FromSeconds(10), cancellation);
        return PipelineStatusVerb.ToJson(status);
    }

    public void Render(JsonObject result, IAnsiConsole console) => PipelineStatusVerb.RenderGraphs(result, console);
}
