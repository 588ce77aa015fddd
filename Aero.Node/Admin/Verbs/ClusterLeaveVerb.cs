using System.Text.Json.Nodes;
using Akka.Cluster;
using Spectre.Console;

namespace Aero.Node.Admin.Verbs;

/// <summary><c>aero cluster leave [ADDRESS]</c>: a graceful leave, of the node itself unless another member is named.</summary>
public sealed class ClusterLeaveVerb : IAdminVerb
{
    public string Group => "cluster";

    public string Name => "leave";

    public string Description => "Ask a member (default: the node itself) to leave the cluster gracefully; it drains its graphs first";

    public bool Mutates => true;

    public IReadOnlyList<AdminParameter> Parameters => [new("address", "The member to leave: akka.tcp://aero@host:port or host:port (default: the node)", Positional: true)];

    public Task<JsonObject> ExecuteAsync(AdminContext context, AdminArguments arguments, CancellationToken cancellation)
    {
        var cluster = Cluster.Get(context.System);
        var address = arguments.Get("address") is { } text ? ClusterAddresses.Member(cluster, text).Address : cluster.SelfAddress;
        cluster.Leave(address);
        return Task.FromResult(new JsonObject { ["leaving"] = address.ToString() });
    }

    public void Render(JsonObject result, IAnsiConsole console) =>
        console.MarkupLineInterpolated($"Asked [bold]{result["leaving"]!.GetValue<string>()}[/] to leave the cluster.");
}
