using System.Text.Json.Nodes;
using Spectre.Console;

namespace Aero.Node.Admin;

/// <summary>
/// One admin command, both ends of it: the node runs <see cref="ExecuteAsync"/> for <c>/admin/{Group}/{Name}</c>, and
/// <c>aero {Group} {Name}</c> calls that route and shows the answer with <see cref="Render"/> (or prints the JSON).
/// A new verb is a new class implementing this: <see cref="AdminVerbs"/> finds it, maps its route and adds its command.
/// </summary>
public interface IAdminVerb
{
    /// <summary>The first word: cluster, actor, pipeline, kafka, ...</summary>
    string Group { get; }

    /// <summary>The second word: show, leave, hierarchy, ...</summary>
    string Name { get; }

    string Description { get; }

    /// <summary>Changes the cluster or the pipeline: called with POST, so no crawler or prefetch triggers it by accident.</summary>
    bool Mutates { get; }

    IReadOnlyList<AdminParameter> Parameters { get; }

    /// <summary>On the node: carries the verb out and answers with a JSON object.</summary>
    Task<JsonObject> ExecuteAsync(AdminContext context, AdminArguments arguments, CancellationToken cancellation);

    /// <summary>In the CLI: shows the node's answer to a person.</summary>
    void Render(JsonObject result, IAnsiConsole console);
}
