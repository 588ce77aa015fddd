using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Aero.FakeBigQuery.Tests;

/// <summary>An answer of the fake: status, parsed JSON body (null when empty or not JSON), headers and raw text.</summary>
public sealed record ApiResult(int Status, JsonNode? Json, string Text, HttpResponseHeaders Headers, string? ContentType)
{
    public string? ErrorReason => Json?["error"]?["errors"]?[0]?["reason"]?.GetValue<string>();

    public string? ErrorMessage => Json?["error"]?["message"]?.GetValue<string>();
}
