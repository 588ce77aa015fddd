using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Aero.FakeBigQuery;

/// <summary>
/// Google's BigQuery v2 discovery document, embedded: the fake routes requests by its method paths, so a method id
/// (<c>bigquery.tables.get</c>) means exactly what Google's clients mean by it.
/// </summary>
internal sealed class DiscoveryDocument
{
    private const string ResourceName = "bigquery-v2-discovery.json";

    private static readonly Lazy<DiscoveryDocument> Embedded = new(Load);

    private readonly List<DiscoveryMethod> _methods;

    private DiscoveryDocument(string text)
    {
        Text = text;
        Root = JsonNode.Parse(text)!.AsObject();
        ServicePath = Root["servicePath"]!.GetValue<string>();
        _methods = [];
        Collect(Root, _methods);
    }

    public static DiscoveryDocument BigQueryV2 => Embedded.Value;

    public string Text { get; }

    public JsonObject Root { get; }

    /// <summary>"bigquery/v2/": the prefix of every REST path.</summary>
    public string ServicePath { get; }

    public IReadOnlyList<DiscoveryMethod> Methods => _methods;

    public DiscoveryMethod Method(string id) => _methods.Single(m => m.Id == id);

    /// <summary>The method and its (still URL-encoded) path parameters for a path below the service path.</summary>
    public (DiscoveryMethod Method, Dictionary<string, string> Parameters)? Match(string httpMethod, string rawPath)
    {
        foreach (var method in _methods)
        {
            if (!string.Equals(method.HttpMethod, httpMethod, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var match = method.PathPattern.Match(rawPath);
            if (match.Success)
            {
                var parameters = method.PathPattern.GetGroupNames()
                    .Where(name => !int.TryParse(name, out _))
                    .ToDictionary(name => name, name => match.Groups[name].Value, StringComparer.Ordinal);
                return (method, parameters);
            }
        }

        return null;
    }

    /// <summary>The document as served by the fake: every root URL points at the fake itself.</summary>
    public string RenderFor(Uri endpoint)
    {
        var copy = JsonNode.Parse(Text)!.AsObject();
        var root = endpoint.ToString();
        copy["rootUrl"] = root;
        copy["mtlsRootUrl"] = root;
        copy["baseUrl"] = root + ServicePath;
        copy.Remove("endpoints");
        return copy.ToJsonString();
    }

    private static DiscoveryDocument Load()
    {
        using var stream = typeof(DiscoveryDocument).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream);
        return new DiscoveryDocument(reader.ReadToEnd());
    }

    private static void Collect(JsonObject node, List<DiscoveryMethod> into)
    {
        if (node["methods"] is JsonObject methods)
        {
            foreach (var (_, value) in methods)
            {
                var method = value!.AsObject();
                var path = method["path"]!.GetValue<string>();
                into.Add(new DiscoveryMethod(
                    method["id"]!.GetValue<string>(),
                    method["httpMethod"]!.GetValue<string>(),
                    path,
                    PathRegex(path),
                    method["request"]?["$ref"]?.GetValue<string>(),
                    method["response"]?["$ref"]?.GetValue<string>()));
            }
        }

        if (node["resources"] is JsonObject resources)
        {
            foreach (var (_, resource) in resources)
            {
                Collect(resource!.AsObject(), into);
            }
        }
    }

    // "projects/{+projectId}/datasets/{+datasetId}" -> ^projects/(?<projectId>[^/]+)/datasets/(?<datasetId>[^/]+)$ :
    // with fullyEncodeReservedExpansion every parameter is one encoded segment.
    private static Regex PathRegex(string template)
    {
        var pattern = new System.Text.StringBuilder("^");
        var at = 0;
        foreach (Match parameter in Regex.Matches(template, @"\{\+?([A-Za-z0-9_]+)}"))
        {
            pattern.Append(Regex.Escape(template[at..parameter.Index])).Append("(?<").Append(parameter.Groups[1].Value).Append(">[^/]+?)");
            at = parameter.Index + parameter.Length;
        }

        pattern.Append(Regex.Escape(template[at..])).Append('$');
        return new Regex(pattern.ToString(), RegexOptions.CultureInvariant);
    }
}
