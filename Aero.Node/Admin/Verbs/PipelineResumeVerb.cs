using System.Text.Json.Nodes;
using Aero.Actors.Hosting;
using Akka.Actor;
using Spectre.Console;

namespace Aero.Node.Admin.Verbs;

/// <summary><c>aero pipeline resume [--graph NAME]</c>: starts paused graphs again, from the offsets the warehouse holds.</summary>
public sealed class PipelineResumeVerb : IAdminVerb
{
    public string Group => "pipeline";

    public string Name => "resume";

    public string Description => "Start paused graphs again (all, or --graph NAME)";

    public bool Mutates => true;

    public IReadOnlyList<AdminParameter> Parameters => [new("graph", "Only this graph (default: all)")];

    public async Task<JsonObject> ExecuteAsync(AdminContext context, AdminArguments arguments, CancellationToken cancellation)
    {
        var graph = await PipelineStatusVerb.SelectedGraphAsync(context, arguments, cancellation);
        return PipelineStatusVerb.ToJson(await context.Graphs.Ask<GraphsStatus>(new ResumeGraphs(graph), TimeSpan.FromSeconds(10), cancellation));
    }

    public void Render(JsonObject result, IAnsiConsole console) => PipelineStatusVerb.RenderGraphs(result, console);
}
