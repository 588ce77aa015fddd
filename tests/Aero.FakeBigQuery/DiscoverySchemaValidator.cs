using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Aero.FakeBigQuery;

/// <summary>
/// Checks a JSON body against a schema of a Google discovery document (<c>Job</c>, <c>TableDataInsertAllRequest</c>, ...):
/// <c>type</c>, <c>properties</c>, <c>$ref</c>, <c>items</c>, <c>additionalProperties</c>, <c>enum</c>, and the formats
/// Google's JSON mapping fixes: int64/uint64 are JSON strings holding an integer, int32/uint32 are JSON numbers.
/// Unknown properties are violations (Google rejects them: "Invalid JSON payload received. Unknown name").
/// JSON null is accepted anywhere: Google's parsers treat it as "not set", and Google's own clients send it.
/// </summary>
public sealed class DiscoverySchemaValidator
{
    private readonly JsonObject _schemas;

    public DiscoverySchemaValidator(JsonObject discoveryDocument)
    {
        ArgumentNullException.ThrowIfNull(discoveryDocument);
        _schemas = discoveryDocument["schemas"]?.AsObject()
            ?? throw new ArgumentException("The discovery document has no schemas.", nameof(discoveryDocument));
    }

    /// <summary>A validator for the BigQuery v2 discovery document embedded in the fake.</summary>
    public static DiscoverySchemaValidator BigQueryV2 { get; } = new(DiscoveryDocument.BigQueryV2.Root);

    public bool HasSchema(string schemaName) => _schemas.ContainsKey(schemaName);

    /// <summary>Every violation found, as "$.path: what is wrong"; empty when the body conforms.</summary>
    public IReadOnlyList<string> Validate(string schemaName, JsonNode? body)
    {
        var violations = new List<string>();
        Check(Resolve(schemaName), body, "$", violations);
        return violations;
    }

    private JsonObject Resolve(string schemaName) =>
        _schemas[schemaName]?.AsObject() ?? throw new ArgumentException($"Unknown schema {schemaName}.", nameof(schemaName));

    private void Check(JsonObject schema, JsonNode? value, string path, List<string> violations)
    {
        if (schema["$ref"] is JsonValue reference)
        {
            schema = Resolve(reference.GetValue<string>());
        }

        if (value is null)
        {
            return;
        }

        var type = schema["type"]?.GetValue<string>();
        switch (type)
        {
            case "object":
                CheckObject(schema, value, path, violations);
                break;
            case "array":
                if (value is not JsonArray array)
                {
                    violations.Add($"{path}: expected an array, got {Describe(value)}");
                    break;
                }

                if (schema["items"] is JsonObject items)
                {
                    for (var i = 0; i < array.Count; i++)
                    {
                        Check(items, array[i], $"{path}[{i}]", violations);
                    }
                }

                break;
            case "string":
                CheckString(schema, value, path, violations);
                break;
            case "integer":
                CheckInteger(schema, value, path, violations);
                break;
            case "number":
                if (!IsKind(value, JsonValueKind.Number)
                    && !(IsKind(value, JsonValueKind.String) && value.GetValue<string>() is "NaN" or "Infinity" or "-Infinity"))
                {
                    violations.Add($"{path}: expected a number, got {Describe(value)}");
                }

                break;
            case "boolean":
                if (!IsKind(value, JsonValueKind.True) && !IsKind(value, JsonValueKind.False))
                {
                    violations.Add($"{path}: expected a boolean, got {Describe(value)}");
                }

                break;
            default:
                // "any", or a schema without a type: anything goes.
                break;
        }
    }

    private void CheckObject(JsonObject schema, JsonNode value, string path, List<string> violations)
    {
        if (value is not JsonObject obj)
        {
            violations.Add($"{path}: expected an object, got {Describe(value)}");
            return;
        }

        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"] as JsonObject;
        foreach (var (name, child) in obj)
        {
            if (properties?[name] is JsonObject property)
            {
                Check(property, child, $"{path}.{name}", violations);
            }
            else if (additional is not null)
            {
                Check(additional, child, $"{path}.{name}", violations);
            }
            else
            {
                violations.Add($"{path}.{name}: unknown property");
            }
        }
    }

    private static void CheckString(JsonObject schema, JsonNode value, string path, List<string> violations)
    {
        if (!IsKind(value, JsonValueKind.String))
        {
            var format = schema["format"]?.GetValue<string>();
            var hint = format is "int64" or "uint64" ? $" ({format} values are JSON strings)" : string.Empty;
            violations.Add($"{path}: expected a string{hint}, got {Describe(value)}");
            return;
        }

        var text = value.GetValue<string>();
        switch (schema["format"]?.GetValue<string>())
        {
            case "int64" when !long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _):
                violations.Add($"{path}: \"{text}\" is not an int64");
                break;
            case "uint64" when !ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _):
                violations.Add($"{path}: \"{text}\" is not a uint64");
                break;
            case "byte" when !IsBase64(text):
                violations.Add($"{path}: \"{text}\" is not base64");
                break;
            default:
                break;
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => a?.GetValue<string>() == text))
        {
            violations.Add($"{path}: \"{text}\" is not one of the enum values");
        }
    }

    private static void CheckInteger(JsonObject schema, JsonNode value, string path, List<string> violations)
    {
        if (!IsKind(value, JsonValueKind.Number))
        {
            violations.Add($"{path}: expected a number ({schema["format"]?.GetValue<string>() ?? "integer"}), got {Describe(value)}");
            return;
        }

        var number = value.GetValue<JsonElement>();
        var fits = schema["format"]?.GetValue<string>() switch
        {
            "uint32" => number.TryGetUInt32(out _),
            _ => number.TryGetInt32(out _),
        };
        if (!fits)
        {
            violations.Add($"{path}: {number.GetRawText()} is not a {schema["format"]?.GetValue<string>() ?? "int32"}");
        }
    }

    private static bool IsKind(JsonNode node, JsonValueKind kind) => node.GetValueKind() == kind;

    private static string Describe(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string \"{node.GetValue<string>()}\"",
        _ => node.ToJsonString(),
    };

    private static bool IsBase64(string text)
    {
        var normalized = text.Replace('-', '+').Replace('_', '/');
        var buffer = new byte[normalized.Length];
        return Convert.TryFromBase64String(normalized.PadRight((normalized.Length + 3) / 4 * 4, '='), buffer, out _);
    }
}
