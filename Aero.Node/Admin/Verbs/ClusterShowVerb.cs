using System.Text.Json.Nodes;
using Aero.Actors.Coordination;
using Aero.Node.Hosting;
using Aero.Warehouse.BigQuery;
using Akka.Actor;
using Akka.Cluster;
using Spectre.Console;

namespace Aero.Node.Admin.Verbs;

/// <summary><c>aero cluster show</c>: the members as this node sees them.</summary>
public sealed class ClusterShowVerb : IAdminVerb
{
    private static readonly TimeSpan CoordinatorTimeout = TimeSpan.FromSeconds(2);

    public string Group => "cluster";

    public string Name => "show";

    public string Description => "List the cluster's members as the node sees them: address, status, roles, reachability, leader, and where the coordinator runs";

    public bool Mutates => false;

    public IReadOnlyList<AdminParameter> Parameters => [];

    public async Task<JsonObject> ExecuteAsync(AdminContext context, AdminArguments arguments, CancellationToken cancellation)
    {
        var cluster = Cluster.Get(context.System);
        var state = cluster.State;
        var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
        var members = new JsonArray();
        foreach (var member in state.Members.OrderBy(m => m.Address.ToString(), StringComparer.Ordinal))
        {
            members.Add(new JsonObject
            {
                ["address"] = member.Address.ToString(),
                ["status"] = member.Status.ToString(),
                ["roles"] = new JsonArray([.. member.Roles.Order(StringComparer.Ordinal).Select(r => (JsonNode)r)]),
                ["reachable"] = !unreachable.Contains(member.Address),
                ["leader"] = member.Address.Equals(state.Leader),
                ["self"] = member.Address.Equals(cluster.SelfAddress),
            });
        }

        return new JsonObject
        {
            ["self"] = cluster.SelfAddress.ToString(),
            ["leader"] = state.Leader?.ToString(),
            ["coordinator"] = await CoordinatorAsync(context.System, cancellation),
            ["members"] = members,
        };
    }

    public void Render(JsonObject result, IAnsiConsole console)
    {
        // Addresses are copied into `cluster down` and `leave`: never wrapped.
        var table = new Table().AddColumn(new TableColumn("Address").NoWrap()).AddColumns("Status", "Roles", "Reachable", "Leader", "Self");
        foreach (var member in result["members"]!.AsArray())
        {
            table.AddRow(
                Markup.Escape(member!["address"]!.GetValue<string>()),
                member["status"]!.GetValue<string>(),
                Markup.Escape(string.Join(", ", member["roles"]!.AsArray().Select(r => r!.GetValue<string>()))),
                member["reachable"]!.GetValue<bool>() ? "yes" : "[red]no[/]",
                member["leader"]!.GetValue<bool>() ? "yes" : "",
                member["self"]!.GetValue<bool>() ? "yes" : "");
        }

        console.Write(table);
        console.MarkupLineInterpolated($"Coordinator: {result["coordinator"]?.GetValue<string>() ?? "not running (no Up member with the coordinator role, or it is moving)"}");
    }

    /// <summary>Where the coordinator singleton runs, asked through this node's proxy; null while there is none.</summary>
    private static async Task<string?> CoordinatorAsync(ActorSystem system, CancellationToken cancellation)
    {
        try
        {
            var location = await system.ActorSelection(NodeSingletons.Coordinator.ProxyPath)
                .Ask<CoordinatorLocation>(GetCoordinatorLocation.Instance, CoordinatorTimeout, cancellation);
            return location.Address;
        }
        catch (AskTimeoutException)
        {
            // The proxy buffers while the singleton moves; the operator sees "not running" rather than a hung command.
            return null;
        }
    }
}
