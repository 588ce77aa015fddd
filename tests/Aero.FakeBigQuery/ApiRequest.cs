using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Aero.FakeBigQuery;

/// <summary>A routed API call: method id, decoded path parameters, query string, JSON body and uploaded media, if any.</summary>
internal sealed record ApiRequest(
    string MethodId,
    IReadOnlyDictionary<string, string> Path,
    IQueryCollection Query,
    JsonNode? Body,
    byte[]? Media)
{
    /// <summary>A scripted QueryIncomplete fault: jobs.query answers jobComplete:false.</summary>
    public bool ReportIncomplete { get; init; }

    public string this[string pathParameter] => Path[pathParameter];

    public string? QueryValue(string name) => Query.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;
}
