using System.Text.Json;
using Aero.Flights;
using Json.Schema;
using Xunit;

namespace Aero.Streams.Tests.Extract;

public sealed class FlightRecordSchemaSpec
{
    private static readonly JsonSchema Schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "schema", "flight-record.schema.json")));
    private static readonly EvaluationOptions Strict = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    [Fact]
    public void Every_record_of_the_bundled_sample_should_validate_against_the_documented_schema()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "data", "sample", "flights-5k.json");
        var flights = JsonSerializer.Deserialize<List<VegaFlight>>(File.ReadAllText(path))!;

        var failures = flights
            .Select((flight, i) => JsonSerializer.SerializeToElement(VegaFlightMapping.ToRecord(flight, "flights-5k.json", i), FlightJsonContext.Default.FlightRecord))
            .Select(element => Schema.Evaluate(element, Strict))
            .Count(result => !result.IsValid);

        Assert.Equal(5_000, flights.Count);
        Assert.Equal(0, failures);
    }

    // issue 15 §1: what BTS files bring (cancellation, diversion, elapsed times, delay causes) is in the schema too.
    [Fact]
    public async Task Every_record_of_a_bts_sample_should_validate_against_the_documented_schema()
    {
        using var files = new ExtractTestFiles();
        var records = await files.Extract(files.Write("bts.csv", Bts.BtsSample.Csv(Bts.BtsSample.Generate(600))));

        var failures = records
            .Select(record => JsonSerializer.SerializeToElement(record.Flight!, FlightJsonContext.Default.FlightRecord))
            .Count(element => !Schema.Evaluate(element, Strict).IsValid);

        Assert.Equal(600, records.Count);
        Assert.Equal(0, failures);
    }

    [Theory]
    [InlineData("""{"event_id":"00112233445566778899aabbccddeeff","flight_id":"X","timestamp":"2001-01-01T00:00:00Z","source":"s","cancelled":1}""")]
    [InlineData("""{"event_id":"00112233445566778899aabbccddeeff","flight_id":"X","timestamp":"2001-01-01T00:00:00Z","source":"s","cancellation_code":"E"}""")]
    [InlineData("""{"event_id":"00112233445566778899aabbccddeeff","flight_id":"X","timestamp":"2001-01-01T00:00:00Z","source":"s","origin":"lax"}""")]
    [InlineData("""{"event_id":"00112233445566778899aabbccddeeff","flight_id":"X","timestamp":"yesterday","source":"s"}""")]
    [InlineData("""{"event_id":"00112233445566778899aabbccddeeff","timestamp":"2001-01-01T00:00:00Z","source":"s"}""")]
    [InlineData("""{"event_id":"00112233445566778899aabbccddeeff","flight_id":"X","timestamp":"2001-01-01T00:00:00Z","source":"s","latitude":123}""")]
    [InlineData("""{"event_id":"00112233445566778899aabbccddeeff","flight_id":"X","timestamp":"2001-01-01T00:00:00Z","source":"s","surprise":1}""")]
    public void The_schema_should_reject_what_the_format_forbids(string json)
    {
        using var document = JsonDocument.Parse(json);

        Assert.False(Schema.Evaluate(document.RootElement, Strict).IsValid);
    }
}
