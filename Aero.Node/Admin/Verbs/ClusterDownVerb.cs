using System.Text.Json.Nodes;
using Akka.Cluster;
using Spectre.Console;

namespace Aero.Node.Admin.Verbs;

/// <summary><c>aero cluster down ADDRESS</c>: marks a member Down, the manual escape hatch for a node known to be dead.</summary>
public sealed class ClusterDownVerb : IAdminVerb
{
    public string Group => "cluster";

    public string Name => "down";

    public string Description => "Mark a member Down (only for a node known to be gone: it is removed without draining)";

    public bool Mutates => true;

    public IReadOnlyList<AdminParameter> Parameters => [new("address", "The member: akka.tcp://aero@host:port or host:port", Positional: true, Required: true)];

    public Task<JsonObject> ExecuteAsync(AdminContext context, AdminArguments arguments, CancellationToken cancellation)
    {
        var cluster = Cluster.Get(context.System);
        var member = ClusterAddresses.Member(cluster, arguments.Required("address"));
        cluster.Down(member.Address);
        return Task.FromResult(new JsonObject { ["downed"] = new JsonArray(member.Address.ToString()) });
    }

    public void Render(JsonObject result, IAnsiConsole console) => RenderDowned(result, console);

    internal static void RenderDowned(JsonObject result, IAnsiConsole console)
    {
        var downed = result["downed"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        if (downed.Count == 0)
        {
            console.MarkupLine("No member was downed.");
        }

        foreach (var address in downed)
        {
            console.MarkupLineInterpolated($"Downed [bold]{address}[/].");
        }
    }
}
