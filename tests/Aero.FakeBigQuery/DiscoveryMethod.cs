using System.Text.RegularExpressions;

namespace Aero.FakeBigQuery;

/// <summary>One REST method of the discovery document: verb, path template and request/response schema names.</summary>
internal sealed record DiscoveryMethod(
    string Id,
    string HttpMethod,
    string PathTemplate,
    Regex PathPattern,
    string? RequestSchema,
    string? ResponseSchema);
