using System.Text.Json.Serialization;

namespace Aero.Flights;

/// <summary>Source-generated JSON metadata: no reflection on the hot path.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FlightRecord))]
[JsonSerializable(typeof(VegaFlight))]
[JsonSerializable(typeof(ProcessedFlight))]
public sealed partial class FlightJsonContext : JsonSerializerContext;
