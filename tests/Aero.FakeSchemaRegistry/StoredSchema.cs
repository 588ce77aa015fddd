using System.Text.Json.Nodes;

namespace Aero.FakeSchemaRegistry;

/// <summary>A schema the registry holds, under one global id whichever subjects it is registered under.</summary>
public sealed record StoredSchema(int Id, string SchemaType, string Text, string Canonical)
{
    /// <summary>The schema, or null when its text is not JSON (the registry then answers 422).</summary>
    public static string? CanonicalOf(string text)
    {
        try
        {
            return JsonNode.Parse(text)?.ToJsonString();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
