using System.Text.Json;
using Aero.Flights;
using Aero.Streams.Extract;
using Akka.Streams;
using Xunit;

namespace Aero.Streams.Tests.Flights;

public sealed class VegaFlightMappingSpec
{
    [Fact]
    public void A_vega_flight_should_map_onto_the_canonical_record()
    {
        var record = VegaFlightMapping.ToRecord(new VegaFlight("2001/01/01 06:55", -19, 1797, "LAX", "BNA"), "flights-5k.json", 0);

        Assert.Equal(new DateTime(2001, 1, 1, 6, 55, 0, DateTimeKind.Utc), record.ScheduledDeparture);
        Assert.Equal(new DateTime(2001, 1, 1, 6, 36, 0, DateTimeKind.Utc), record.ActualDeparture);
        Assert.Equal("LAX-BNA-200101010655", record.FlightId);
        Assert.Equal(1797, record.Distance);
        Assert.Equal(-19, record.Delay);
    }

    [Fact]
    public void Event_ids_should_depend_only_on_source_and_position()
    {
        var flight = new VegaFlight("2001/01/01 06:55", 0, 100, "LAX", "SFO");

        Assert.Equal(VegaFlightMapping.ToRecord(flight, "a.json", 7).EventId, VegaFlightMapping.ToRecord(flight with { Delay = 5 }, "a.json", 7).EventId);
        Assert.NotEqual(VegaFlightMapping.ToRecord(flight, "a.json", 7).EventId, VegaFlightMapping.ToRecord(flight, "a.json", 8).EventId);
        Assert.NotEqual(VegaFlightMapping.ToRecord(flight, "a.json", 7).EventId, VegaFlightMapping.ToRecord(flight, "b.json", 7).EventId);
    }

    [Fact]
    public void The_wire_format_should_be_snake_case_json_that_reads_back_the_same()
    {
        var record = VegaFlightMapping.ToRecord(new VegaFlight("2001/03/04 10:00", 12, 500, "ORD", "DEN"), "flights-5k.json", 42);

        var json = JsonSerializer.Serialize(record, FlightJsonContext.Default.FlightRecord);

        Assert.Contains("\"flight_id\":\"ORD-DEN-200103041000\"", json);
        Assert.Contains("\"scheduled_departure\":\"2001-03-04T10:00:00Z\"", json);
        Assert.DoesNotContain("airline", json);
        Assert.Equal(record, JsonSerializer.Deserialize(json, FlightJsonContext.Default.FlightRecord));
    }

    [Fact]
    public async Task The_bundled_sample_should_stream_every_flight()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "data", "sample", "flights-5k.json");
        using var system = Akka.Actor.ActorSystem.Create("sample");

        var extracted = await FlightFileSource.Create(path, FileSourceSettings.Default).RunWith(Akka.Streams.Dsl.Sink.Seq<ExtractedRecord>(), system.Materializer());
        var records = extracted.Select(r => r.Flight!).ToList();

        Assert.All(extracted, r => Assert.False(r.IsRejected, r.Rejection));
        Assert.Equal(5_000, records.Count);
        Assert.Equal(5_000, records.Select(r => r.EventId).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 5_000).Select(i => (long?)i), records.Select(r => r.SourcePosition));
    }

    [Fact]
    public async Task The_file_source_should_map_a_vega_record_exactly_as_the_vega_mapping_does()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "data", "sample", "flights-5k.json");
        using var system = Akka.Actor.ActorSystem.Create("sample");

        var first = await FlightFileSource.Create(path, FileSourceSettings.Default).RunWith(Akka.Streams.Dsl.Sink.First<ExtractedRecord>(), system.Materializer());
        var vega = JsonSerializer.Deserialize(first.Original, FlightJsonContext.Default.VegaFlight)!;

        // All but the event id, which a file's record takes from its content (issue 13 §1.2).
        Assert.Equal(VegaFlightMapping.ToRecord(vega, "flights-5k.json", 0) with { EventId = first.Flight!.EventId }, first.Flight);
        Assert.Equal(Convert.ToHexStringLower(System.IO.Hashing.XxHash128.Hash(first.Original)), first.Flight.EventId);
    }
}
