using System.Text.Json.Nodes;

namespace Aero.FakeBigQuery.Tests;

/// <summary>The fake driven by a client Google wrote: what <c>bq</c> sends must be served, and what it gets must satisfy it.</summary>
public sealed class BqCliSpec : FakeSpec
{
    [Fact]
    public async Task Bq_should_make_a_dataset_and_table_insert_load_query_show_and_list()
    {
        using var bq = new BqCli(Server.Endpoint);
        await File.WriteAllTextAsync(Path.Combine(bq.WorkDirectory, "rows.json"), "{\"flight\":\"AB123\",\"seats\":180}\n{\"flight\":\"CD456\",\"seats\":90}\n");
        await File.WriteAllTextAsync(Path.Combine(bq.WorkDirectory, "more.json"), "{\"flight\":\"EF789\",\"seats\":12}\n");

        var mk = await bq.RunAsync("mk", "ops");
        var mkTable = await bq.RunAsync("mk", "--table", "ops.flights", "flight:STRING,seats:INTEGER");
        var insert = await bq.RunAsync("insert", "ops.flights", "rows.json");
        var load = await bq.RunAsync("load", "--source_format=NEWLINE_DELIMITED_JSON", "ops.flights", "more.json");
        var query = await bq.RunAsync("--format=json", "query", "--nouse_legacy_sql", "SELECT flight, seats FROM ops.flights ORDER BY seats DESC");
        var show = await bq.RunAsync("--format=json", "show", "ops.flights");
        var lsTables = await bq.RunAsync("--format=json", "ls", "ops");
        var lsDatasets = await bq.RunAsync("--format=json", "ls");

        Assert.True(mk.ExitCode == 0, mk.Output);
        Assert.Contains("Dataset 'demo:ops' successfully created", mk.Output, StringComparison.Ordinal);
        Assert.True(mkTable.ExitCode == 0, mkTable.Output);
        Assert.True(insert.ExitCode == 0, insert.Output);
        Assert.True(load.ExitCode == 0, load.Output);
        Assert.True(query.ExitCode == 0, query.Output);
        var rows = JsonNode.Parse(query.Output)!.AsArray();
        Assert.Equal(["AB123", "CD456", "EF789"], rows.Select(r => r!["flight"]!.GetValue<string>()));
        Assert.Equal("180", rows[0]!["seats"]!.GetValue<string>());
        var table = JsonNode.Parse(show.Output)!;
        Assert.Equal("3", table["numRows"]!.GetValue<string>());
        Assert.Equal(["flight", "seats"], table["schema"]!["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()));
        Assert.Equal("flights", JsonNode.Parse(lsTables.Output)![0]!["tableReference"]!["tableId"]!.GetValue<string>());
        Assert.Equal("ops", JsonNode.Parse(lsDatasets.Output)![0]!["datasetReference"]!["datasetId"]!.GetValue<string>());
        Assert.Equal(1, Server.Stats.Requests("bigquery.tabledata.insertAll"));
        Assert.Equal(1, Server.Stats.LoadJobs(P, "ops", "flights"));
    }
}
