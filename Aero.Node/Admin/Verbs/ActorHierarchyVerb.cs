using System.Text.Json.Nodes;
using Akka.Actor;
using Spectre.Console;

namespace Aero.Node.Admin.Verbs;

/// <summary><c>aero actor hierarchy [--depth N] [--path P]</c>: the node's local actors under a path, with their mailbox depth.</summary>
public sealed class ActorHierarchyVerb : IAdminVerb
{
    public string Group => "actor";

    public string Name => "hierarchy";

    public string Description => "Show the node's actors under a path (default /user, 4 levels deep), with type and queued messages";

    public bool Mutates => false;

    public IReadOnlyList<AdminParameter> Parameters =>
    [
        new("depth", "How many levels below the path (default 4)"),
        new("path", "Where to start: /user, /system, /user/graphs or a full akka:// path (default /user)"),
    ];

    public Task<JsonObject> ExecuteAsync(AdminContext context, AdminArguments arguments, CancellationToken cancellation)
    {
        var depth = arguments.GetInt("depth", 4, 0, 64);
        var path = arguments.Get("path") ?? "/user";
        var system = (ExtendedActorSystem)context.System;
        var start = Resolve(system, path) ?? throw new AdminRequestException($"No actor at {path} on this node.", 404);
        var actors = new JsonArray();
        // Children are read from the actor cells directly: asking each actor (Identify) would wait on busy mailboxes.
        Walk(start, 0);
        return Task.FromResult(new JsonObject { ["path"] = start.Path.ToStringWithoutAddress(), ["depth"] = depth, ["actors"] = actors });

        void Walk(IActorRef actor, int level)
        {
            var cell = (actor as ActorRefWithCell)?.Underlying;
            actors.Add(new JsonObject
            {
                ["path"] = actor.Path.ToStringWithoutAddress(),
                ["level"] = level,
                ["type"] = cell?.Props.Type?.FullName ?? actor.GetType().Name,
                ["mailbox"] = cell?.NumberOfMessages ?? 0,
            });
            if (level < depth && actor is ActorRefWithCell parent)
            {
                foreach (var child in parent.Children.OrderBy(c => c.Path.Name, StringComparer.Ordinal))
                {
                    Walk(child, level + 1);
                }
            }
        }
    }

    public void Render(JsonObject result, IAnsiConsole console)
    {
        var actors = result["actors"]!.AsArray().Select(a => a!.AsObject()).ToList();
        if (actors.Count == 0)
        {
            return;
        }

        var tree = new Tree(Label(actors[0], full: true));
        var parents = new Stack<(int Level, IHasTreeNodes Node)>();
        parents.Push((0, tree));
        foreach (var actor in actors.Skip(1))
        {
            var level = actor["level"]!.GetValue<int>();
            while (parents.Peek().Level >= level)
            {
                parents.Pop();
            }

            parents.Push((level, parents.Peek().Node.AddNode(Label(actor, full: false))));
        }

        console.Write(tree);
    }

    private static string Label(JsonObject actor, bool full)
    {
        var path = actor["path"]!.GetValue<string>();
        var name = full ? path : path[(path.LastIndexOf('/') + 1)..];
        var mailbox = actor["mailbox"]!.GetValue<int>();
        return $"[bold]{Markup.Escape(name)}[/] [grey]{Markup.Escape(actor["type"]!.GetValue<string>())}[/]{(mailbox > 0 ? $" [yellow]{mailbox} queued[/]" : "")}";
    }

    private static IActorRef? Resolve(ExtendedActorSystem system, string path)
    {
        var names = path.Contains("://", StringComparison.Ordinal) && ActorPath.TryParse(path, out var parsed)
            ? parsed.Elements
            : (IReadOnlyList<string>)path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        IActorRef current = system.Provider.RootGuardian;
        foreach (var name in names)
        {
            if (current is not ActorRefWithCell cell || cell.GetSingleChild(name) is not { } child || child.IsNobody())
            {
                return null;
            }

            current = child;
        }

        return current;
    }
}
