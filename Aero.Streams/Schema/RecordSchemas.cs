namespace Aero.Streams.Schema;

/// <summary>The JSON Schemas of Aero's topics, as docs/schema keeps them (embedded from there).</summary>
public static class RecordSchemas
{
    private static readonly Lazy<string> FlightRecordText = new(() => Read("flight-record.schema.json"));
    private static readonly Lazy<string> ProcessedFlightText = new(() => Read("processed-flight.schema.json"));

    /// <summary>A <c>flights-raw</c> record's schema (docs/schema/flight-record.schema.json).</summary>
    public static string FlightRecord => FlightRecordText.Value;

    /// <summary>A <c>flights-processed</c> record's schema (docs/schema/processed-flight.schema.json).</summary>
    public static string ProcessedFlight => ProcessedFlightText.Value;

    private static string Read(string name)
    {
        using var stream = typeof(RecordSchemas).Assembly.GetManifestResourceStream($"Aero.Streams.Schema.{name}")
            ?? throw new InvalidOperationException($"The embedded schema {name} is missing from Aero.Streams.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
