using System.Text.Json.Serialization;

namespace Aero.Flights;

/// <summary>One row of the vega-datasets flights files: <c>{"date":"2001/01/01 06:55","delay":-19,"distance":1797,"origin":"LAX","destination":"BNA"}</c>.</summary>
public sealed record VegaFlight(
    [property: JsonPropertyName("date")] string? Date,
    [property: JsonPropertyName("delay")] double? Delay,
    [property: JsonPropertyName("distance")] double? Distance,
    [property: JsonPropertyName("origin")] string? Origin,
    [property: JsonPropertyName("destination")] string? Destination);
