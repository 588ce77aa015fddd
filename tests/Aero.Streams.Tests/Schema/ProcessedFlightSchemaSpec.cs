using System.Text.Json;
using Aero.Flights;
using Aero.Kafka.Messages;
using Aero.Streams.Transform;
using Aero.Warehouse;
using Json.Schema;
using Xunit;

namespace Aero.Streams.Tests.Schema;

/// <summary>issue 20 §2: the schema registered for flights-processed is what the load publishes.</summary>
public sealed class ProcessedFlightSchemaSpec
{
    private static readonly JsonSchema Schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "schema", "processed-flight.schema.json")));
    private static readonly EvaluationOptions Strict = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    [Fact]
    public void Every_processed_flight_of_the_bundled_sample_should_validate_against_the_documented_schema()
    {
        var transform = FlightTransform.Create(TransformSettings.Create());
        var flights = JsonSerializer.Deserialize<List<VegaFlight>>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "sample", "flights-5k.json")))!;

        var processed = flights
            .Select((flight, i) => transform.Apply(new LoadRow(VegaFlightMapping.ToRecord(flight, "flights-5k.json", i), "{}", new KafkaPosition("flights-raw", 0, i, null)), DateTime.UtcNow))
            .OfType<LoadRow>()
            .Select(row => row.Processed!)
            .ToList();
        var failures = processed.Count(flight => !Schema.Evaluate(JsonSerializer.SerializeToElement(flight, FlightJsonContext.Default.ProcessedFlight), Strict).IsValid);

        Assert.True(processed.Count > 4_900, $"only {processed.Count} of the sample transformed");
        Assert.Equal(0, failures);
    }

    [Fact]
    public void The_schema_should_reject_a_processed_flight_without_its_route() =>
        Assert.False(Schema.Evaluate(JsonDocument.Parse("""{"event_id":"0123456789abcdef0123456789abcdef","flight_id":"X","event_time":"2001-01-01T00:00:00Z","event_date":"2001-01-01","event_hour":0,"event_day_of_week":1,"source":"s","processed_at":"2001-01-01T00:00:00Z"}""").RootElement, Strict).IsValid);
}
