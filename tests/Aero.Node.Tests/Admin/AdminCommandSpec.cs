using System.Text.Json;
using Xunit;

namespace Aero.Node.Tests.Admin;

/// <summary>The admin verbs end to end: the <c>aero</c> CLI against a running node's admin endpoint.</summary>
public sealed class AdminCommandSpec(AdminNodeFixture node) : IClassFixture<AdminNodeFixture>
{
    [Fact]
    public async Task Cluster_show_should_list_the_node_as_its_one_Up_member()
    {
        var show = await node.AdminJson("cluster", "show");

        var member = Assert.Single(show.GetProperty("members").EnumerateArray());
        Assert.Equal("Up", member.GetProperty("status").GetString());
        Assert.Equal(show.GetProperty("self").GetString(), member.GetProperty("address").GetString());
        Assert.StartsWith("akka.tcp://aero@127.0.0.1:", member.GetProperty("address").GetString());
        Assert.True(member.GetProperty("self").GetBoolean());
        Assert.True(member.GetProperty("leader").GetBoolean());
        Assert.True(member.GetProperty("reachable").GetBoolean());
        Assert.Equal(["coordinator", "ingest"], member.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Cluster_show_without_json_should_print_a_table_of_the_members()
    {
        var (exit, output) = await node.Admin("cluster", "show");

        Assert.True(exit == 0, output);
        Assert.Contains("Address", output);
        Assert.Contains("│ Up ", output);
    }

    [Fact]
    public async Task Cluster_tail_should_show_the_node_becoming_Up()
    {
        var self = (await node.AdminJson("cluster", "show")).GetProperty("self").GetString();

        var tail = await node.AdminJson("cluster", "tail", "--count", "50");

        Assert.Contains(tail.GetProperty("events").EnumerateArray(), e => e.GetProperty("event").GetString() == "MemberUp" && e.GetProperty("member").GetString() == self);
    }

    [Fact]
    public async Task Pipeline_pause_should_drain_the_load_graph_and_resume_should_start_it_again()
    {
        Assert.Equal("Running", LoadState(await node.AdminJson("pipeline", "status")));

        var paused = await node.AdminJson("pipeline", "pause");
        var whilePaused = await node.AdminJson("pipeline", "status");
        var resumed = await node.AdminJson("pipeline", "resume", "--graph", "load");

        Assert.Equal("Stopped", LoadState(paused));
        Assert.Equal("Stopped", LoadState(whilePaused));
        Assert.Equal("Running", LoadState(resumed));
        Assert.Contains("Draining pipeline load", node.Node.Output);
        Assert.False(node.Node.HasExited);
    }

    [Fact]
    public async Task Pausing_a_graph_the_node_does_not_host_should_fail_naming_its_graphs()
    {
        var (exit, output) = await node.Admin("pipeline", "pause", "--graph", "transform");

        Assert.NotEqual(0, exit);
        Assert.Contains("hosts no graph \"transform\". Graphs: load.", output);
    }

    [Fact]
    public async Task Actor_hierarchy_should_show_the_node_actors_down_to_the_depth_asked()
    {
        var shallow = await node.AdminJson("actor", "hierarchy", "--depth", "1");
        var graphs = await node.AdminJson("actor", "hierarchy", "--path", "/user/graphs", "--depth", "0");

        var actors = shallow.GetProperty("actors").EnumerateArray().ToList();
        Assert.Equal("/user", shallow.GetProperty("path").GetString());
        Assert.Contains(actors, a => a.GetProperty("path").GetString() == "/user/graphs" && a.GetProperty("type").GetString() == "Aero.Actors.Hosting.GraphsActor");
        Assert.Contains(actors, a => a.GetProperty("path").GetString() == "/user/coordinator");
        Assert.All(actors, a => Assert.InRange(a.GetProperty("level").GetInt32(), 0, 1));
        var only = Assert.Single(graphs.GetProperty("actors").EnumerateArray());
        Assert.Equal("/user/graphs", only.GetProperty("path").GetString());
    }

    [Fact]
    public async Task Actor_hierarchy_of_a_path_without_an_actor_should_fail()
    {
        var (exit, output) = await node.Admin("actor", "hierarchy", "--path", "/user/nobody-here");

        Assert.NotEqual(0, exit);
        Assert.Contains("No actor at /user/nobody-here", output);
    }

    [Fact]
    public async Task Kafka_lag_should_report_every_partition_the_node_consumes()
    {
        // librdkafka reports lag with its statistics, every statistics.interval.ms: wait for the first report.
        var deadline = DateTime.UtcNow + AdminNodeFixture.Timeout;
        List<JsonElement> partitions;
        do
        {
            partitions = [.. (await node.AdminJson("kafka", "lag")).GetProperty("partitions").EnumerateArray()];
        }
        while (partitions.Count < 6 && DateTime.UtcNow < deadline);

        Assert.Equal([0, 1, 2, 3, 4, 5], partitions.Select(p => p.GetProperty("partition").GetInt32()).Order());
        Assert.All(partitions, p => Assert.Equal("flights-raw", p.GetProperty("topic").GetString()));
        Assert.All(partitions, p => Assert.True(p.GetProperty("lag").GetInt64() >= 0));
    }

    [Fact]
    public async Task A_missing_or_wrong_token_should_be_refused_with_a_non_zero_exit()
    {
        var missing = await node.Cli("cluster", "show", "--node", node.Endpoint);
        var wrong = await node.Cli("cluster", "show", "--node", node.Endpoint, "--token", "not-the-token");

        Assert.NotEqual(0, missing.Exit);
        Assert.Contains("requires a token: pass --token or set AERO_ADMIN_TOKEN", missing.Output);
        Assert.NotEqual(0, wrong.Exit);
        Assert.Contains("refused the token", wrong.Output);
        Assert.DoesNotContain("Up", wrong.Output);
        Assert.DoesNotContain(AdminNodeFixture.Token, node.Node.Output);
    }

    [Fact]
    public async Task Downing_an_address_that_is_not_a_member_should_fail_naming_the_members()
    {
        var self = (await node.AdminJson("cluster", "show")).GetProperty("self").GetString();

        var (exit, output) = await node.Admin("cluster", "down", "127.0.0.1:1");

        Assert.NotEqual(0, exit);
        Assert.Contains("akka.tcp://aero@127.0.0.1:1 is not a member of the cluster", output);
        Assert.Contains($"Members: {self}", output);
    }

    [Fact]
    public async Task Down_unreachable_with_every_member_reachable_should_down_nobody()
    {
        var answer = await node.AdminJson("cluster", "down-unreachable");

        Assert.Empty(answer.GetProperty("downed").EnumerateArray());
        Assert.Single((await node.AdminJson("cluster", "show")).GetProperty("members").EnumerateArray());
    }

    [Fact]
    public async Task An_unknown_verb_should_name_the_known_ones_and_exit_non_zero()
    {
        var (exit, output) = await node.Admin("cluster", "frobnicate");

        Assert.NotEqual(0, exit);
        Assert.Contains("unknown verb \"cluster frobnicate\". Known: down, down-unreachable, leave, show, tail.", output);
    }

    [Fact]
    public async Task A_node_that_does_not_answer_should_be_reported_with_its_address()
    {
        var (exit, output) = await node.Cli("pipeline", "status", "--node", "127.0.0.1:1");

        Assert.NotEqual(0, exit);
        Assert.Contains("Cannot reach the admin endpoint at http://127.0.0.1:1/", output);
    }

    private static string? LoadState(JsonElement status) =>
        Assert.Single(status.GetProperty("graphs").EnumerateArray(), g => g.GetProperty("name").GetString() == "load").GetProperty("state").GetString();
}
