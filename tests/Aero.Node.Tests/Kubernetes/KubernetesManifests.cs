using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Aero.Node.Tests.Kubernetes;

/// <summary>The objects of the repository's <c>k8s/</c> manifests (copied next to the tests), as JSON like the API serves them.</summary>
public sealed class KubernetesManifests
{
    private readonly List<JsonObject> _objects;

    private KubernetesManifests(List<JsonObject> objects) => _objects = objects;

    public IReadOnlyList<JsonObject> Objects => _objects;

    public static KubernetesManifests Load()
    {
        var objects = new List<JsonObject>();
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "k8s"), "*.yaml").Order(StringComparer.Ordinal))
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(file))
            {
                stream.Load(reader);
            }

            objects.AddRange(stream.Documents.Select(d => ToJson(d.RootNode)).OfType<JsonObject>());
        }

        return new KubernetesManifests(objects);
    }

    /// <summary>The one object of <paramref name="kind"/> named <paramref name="name"/>.</summary>
    public JsonObject Get(string kind, string name) =>
        _objects.Single(o => (string?)o["kind"] == kind && (string?)o["metadata"]?["name"] == name);

    /// <summary>YAML as the API server would read it: plain integers and booleans become JSON numbers and booleans.</summary>
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: var plain } when long.TryParse(plain, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "true" or "false" } scalar => JsonValue.Create(scalar.Value == "true"),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => null,
    };
}
