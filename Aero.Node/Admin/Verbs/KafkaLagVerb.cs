using System.Globalization;
using System.Text.Json.Nodes;
using Aero.Kafka;
using Aero.Warehouse.BigQuery;
using Spectre.Console;

namespace Aero.Node.Admin.Verbs;

/// <summary><c>aero kafka lag</c>: consumer lag per partition this node consumes, as librdkafka last reported it.</summary>
public sealed class KafkaLagVerb : IAdminVerb
{
    public string Group => "kafka";

    public string Name => "lag";

    public string Description => "Show the consumer lag of each partition the node consumes (librdkafka statistics, every statistics.interval.ms)";

    public bool Mutates => false;

    public IReadOnlyList<AdminParameter> Parameters => [];

    public Task<JsonObject> ExecuteAsync(AdminContext context, AdminArguments arguments, CancellationToken cancellation)
    {
        var lags = KafkaMetrics.ConsumerLags();
        var partitions = new JsonArray();
        foreach (var lag in lags)
        {
            partitions.Add(new JsonObject { ["group"] = lag.Group, ["topic"] = lag.Topic, ["partition"] = lag.Partition, ["lag"] = lag.Lag });
        }

        return Task.FromResult(new JsonObject { ["partitions"] = partitions, ["total"] = lags.Sum(l => l.Lag) });
    }

    public void Render(JsonObject result, IAnsiConsole console)
    {
        var table = new Table().AddColumns("Group", "Topic", "Partition", "Lag");
        foreach (var lag in result["partitions"]!.AsArray())
        {
            table.AddRow(
                Markup.Escape(lag!["group"]!.GetValue<string>()),
                Markup.Escape(lag["topic"]!.GetValue<string>()),
                lag["partition"]!.GetValue<int>().ToString(CultureInfo.InvariantCulture),
                lag["lag"]!.GetValue<long>().ToString("N0", CultureInfo.InvariantCulture));
        }

        table.AddRow("[bold]total[/]", "", "", $"[bold]{result["total"]!.GetValue<long>().ToString("N0", CultureInfo.InvariantCulture)}[/]");
        console.Write(table);
    }
}
