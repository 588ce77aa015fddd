using System.Globalization;
using System.Text.Json;

namespace Aero.Streams.Extract;

/// <summary>The properties of one JSON object.</summary>
internal sealed class JsonFieldReader(JsonElement element) : IFieldReader
{
    public FieldValue Get(string name) => !element.TryGetProperty(name, out var value)
        ? FieldValue.Missing
        : value.ValueKind switch
        {
            JsonValueKind.String => FieldValue.OfText(value.GetString()),
            // Out of double's range: kept as text so the mapper names it (1e999 is infinite, not-a-number).
            JsonValueKind.Number => value.TryGetDouble(out var number) ? FieldValue.OfNumber(number) : FieldValue.OfText(value.GetRawText()),
            JsonValueKind.Null => FieldValue.Null,
            _ => new FieldValue(FieldKind.Other, value.ValueKind.ToString().ToLower(CultureInfo.InvariantCulture)),
        };
}
