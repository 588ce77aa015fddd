using System.CommandLine;
using Aero.Node.Admin;
using Xunit;

namespace Aero.Node.Tests.Admin;

public sealed class AdminVerbsSpec
{
    [Fact]
    public void The_registry_should_find_every_verb_class_once()
    {
        var names = AdminVerbs.All.Select(v => $"{v.Group} {v.Name}").ToList();

        Assert.Equal(
            ["actor hierarchy", "cluster down", "cluster down-unreachable", "cluster leave", "cluster show", "cluster tail", "jobs cancel", "jobs history", "jobs list", "jobs run", "kafka lag", "pipeline pause", "pipeline resume", "pipeline status", "windows show"],
            names);
    }

    [Fact]
    public void Every_verb_should_become_a_command_under_its_group_with_node_token_and_json_options()
    {
        var root = new RootCommand();
        root.Subcommands.Add(new Command("kafka"));

        AdminCommands.AddTo(root);

        foreach (var verb in AdminVerbs.All)
        {
            var command = Assert.Single(Assert.Single(root.Subcommands, c => c.Name == verb.Group).Subcommands, c => c.Name == verb.Name);
            Assert.Equal(["--node", "--token", "--json"], command.Options.Select(o => o.Name).Where(n => n is "--node" or "--token" or "--json"));
        }

        Assert.Single(root.Subcommands, c => c.Name == "kafka");
    }

    [Fact]
    public void Only_verbs_that_change_something_should_mutate()
    {
        var mutating = AdminVerbs.All.Where(v => v.Mutates).Select(v => $"{v.Group} {v.Name}");

        Assert.Equal(["cluster down", "cluster down-unreachable", "cluster leave", "jobs cancel", "jobs run", "pipeline pause", "pipeline resume"], mutating);
    }
}
