using System.Text.Json.Nodes;

namespace Aero.FakeSchemaRegistry;

/// <summary>
/// The fake's subset of the registry's JSON Schema compatibility rules, between a reader and a writer schema (BACKWARD:
/// the new schema reads what the old allowed; FORWARD: the other way round). A reader cannot read a writer's data when
/// it requires a property the writer did not, is closed (<c>additionalProperties: false</c>) to a property the writer
/// allows or to a writer that is open, gives a shared property another type, or drops a value of a shared enum.
/// </summary>
public static class JsonSchemaCompatibility
{
    /// <summary>Why <paramref name="reader"/> cannot read data of <paramref name="writer"/>; empty when it can.</summary>
    public static IReadOnlyList<string> Problems(JsonNode reader, JsonNode writer)
    {
        var problems = new List<string>();
        var readerProperties = reader["properties"] as JsonObject ?? [];
        var writerProperties = writer["properties"] as JsonObject ?? [];
        var writerRequired = Strings(writer["required"]);
        foreach (var required in Strings(reader["required"]).Where(name => !writerRequired.Contains(name)))
        {
            problems.Add($"REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/{required}");
        }

        if (IsClosed(reader))
        {
            if (!IsClosed(writer))
            {
                problems.Add("ADDITIONAL_PROPERTIES_REMOVED #/additionalProperties");
            }

            foreach (var (name, _) in writerProperties.Where(p => !readerProperties.ContainsKey(p.Key)))
            {
                problems.Add($"PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL #/properties/{name}");
            }
        }

        foreach (var (name, readerProperty) in readerProperties)
        {
            if (writerProperties[name] is not { } writerProperty)
            {
                continue;
            }

            if (readerProperty?["type"]?.ToJsonString() is { } readerType && writerProperty["type"]?.ToJsonString() is { } writerType && readerType != writerType)
            {
                problems.Add($"TYPE_CHANGED #/properties/{name}");
            }

            if (readerProperty?["enum"] is JsonArray readerEnum && writerProperty["enum"] is JsonArray writerEnum)
            {
                var allowed = readerEnum.Select(value => value?.ToJsonString()).ToHashSet();
                if (writerEnum.Any(value => !allowed.Contains(value?.ToJsonString())))
                {
                    problems.Add($"ENUM_ARRAY_NARROWED #/properties/{name}/enum");
                }
            }
        }

        return problems;
    }

    private static bool IsClosed(JsonNode schema) => schema["additionalProperties"] is JsonValue value && value.TryGetValue<bool>(out var open) && !open;

    private static HashSet<string> Strings(JsonNode? array) =>
        array is JsonArray items ? [.. items.Select(item => item?.GetValue<string>()).OfType<string>()] : [];
}
