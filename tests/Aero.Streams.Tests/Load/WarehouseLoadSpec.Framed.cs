using System.Text.Json;
using Aero.FakeSchemaRegistry;
using Aero.Flights;
using Aero.Kafka;
using Aero.Streams.Schema;
using Aero.Warehouse;
using Confluent.SchemaRegistry;
using Xunit;

namespace Aero.Streams.Tests.Load;

/// <summary>Issue 20 §2: framed records (Confluent's wire format) load like plain ones on the same topic; bad ones are dead letters.</summary>
public abstract partial class WarehouseLoadSpec
{
    [Fact]
    public async Task Framed_and_plain_records_on_one_topic_should_load_alike_and_an_unknown_schema_id_should_be_a_dead_letter()
    {
        await using var registry = await FakeSchemaRegistryServer.StartAsync();
        var settings = SchemaRegistrySettings.Create().WithUrl(registry.Endpoint.ToString());
        using var client = settings.CreateClient();
        var writer = await FramedValueWriter.CreateAsync(client, settings, Topic, RecordSchemas.FlightRecord);
        var clusterId = KafkaCluster.GetClusterId(Kafka.BootstrapServers, null, TimeSpan.FromSeconds(10));
        var flights = Enumerable.Range(0, 400).Select(i => JsonSerializer.SerializeToUtf8Bytes(Vega(i, "LAX"), FlightJsonContext.Default.FlightRecord)).ToList();
        var unknownId = ConfluentWireFormat.Header(writer.SchemaId + 100).Concat(flights[0]).ToArray();
        var logEnd = ProduceRecords(flights.Select((json, i) => i % 2 == 0 ? json : writer.Frame(json)).Append(unknownId));
        await using var warehouse = await OpenWarehouseAsync();

        await LoadUntil(warehouse, clusterId, logEnd, framed: new FramedValueReader(client, settings.RequestTimeout));

        Assert.Equal(400, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
        Assert.Equal(400, await warehouse.CountAsync(WarehouseTables.Flights));
        var reason = Assert.Single((await warehouse.QueryAsync("SELECT reason FROM dlq")).Rows).Single() as string;
        Assert.Contains($"unknown schema id {writer.SchemaId + 100}", reason, StringComparison.Ordinal);
    }
}
