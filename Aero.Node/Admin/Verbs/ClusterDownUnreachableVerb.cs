using System.Text.Json.Nodes;
using Akka.Cluster;
using Spectre.Console;

namespace Aero.Node.Admin.Verbs;

/// <summary><c>aero cluster down-unreachable</c>: downs every member this node sees as unreachable.</summary>
public sealed class ClusterDownUnreachableVerb : IAdminVerb
{
    public string Group => "cluster";

    public string Name => "down-unreachable";

    public string Description => "Mark every member the node sees as unreachable Down (when the split brain resolver cannot decide)";

    public bool Mutates => true;

    public IReadOnlyList<AdminParameter> Parameters => [];

    public Task<JsonObject> ExecuteAsync(AdminContext context, AdminArguments arguments, CancellationToken cancellation)
    {
        var cluster = Cluster.Get(context.System);
        var downed = new JsonArray();
        foreach (var member in cluster.State.Unreachable)
        {
            cluster.Down(member.Address);
            downed.Add(member.Address.ToString());
        }

        return Task.FromResult(new JsonObject { ["downed"] = downed });
    }

    public void Render(JsonObject result, IAnsiConsole console) => ClusterDownVerb.RenderDowned(result, console);
}
