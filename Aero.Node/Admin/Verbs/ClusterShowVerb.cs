using System.Text.Json.Nodes;
using Akka.Cluster;
using Spectre.Console;

namespace Aero.Node.Admin.Verbs;

/// <summary><c>aero cluster show</c>: the members as this node sees them.</summary>
public sealed class ClusterShowVerb : IAdminVerb
{
    public string Group => "cluster";

    public string Name => "show";

    public string Description => "List the cluster's members as the node sees them: address, status, roles, reachability, leader";

    public bool Mutates => false;

    public IReadOnlyList<AdminParameter> Parameters => [];

    public Task<JsonObject> ExecuteAsync(AdminContext context, AdminArguments arguments, CancellationToken cancellation)
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

        return Task.FromResult(new JsonObject
        {
            ["self"] = cluster.SelfAddress.ToString(),
            ["leader"] = state.Leader?.ToString(),
            ["members"] = members,
        });
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
    }
}
