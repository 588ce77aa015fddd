using System.Text.Json.Nodes;

namespace Aero.FakeBigQuery;

/// <summary>What a handler answers: HTTP status and JSON body (null for 204-style empty answers).</summary>
internal sealed record ApiResponse(int Status, JsonNode? Body)
{
    public static ApiResponse Ok(JsonNode body) => new(200, body);

    public static ApiResponse Empty() => new(204, null);
}
