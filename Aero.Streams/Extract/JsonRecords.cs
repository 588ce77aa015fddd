using System.Globalization;
using System.Text.Json;

namespace Aero.Streams.Extract;

/// <summary>Turns the bytes of one JSON object (an array element or an NDJSON line) into an extracted record.</summary>
internal static class JsonRecords
{
    public static ExtractedRecord Parse(FileContext file, RawRecord raw, SourceLocation location)
    {
        if (file.CheckBytes(raw) is { } rejection)
        {
            return ExtractedRecord.Rejected(rejection, raw.Bytes, location);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(raw.Bytes);
        }
        catch (JsonException e)
        {
            // The position is exact for a one-line record; for a multi-line one it is the start of the record.
            var at = raw.Offset + (e.LineNumber is 0 ? e.BytePositionInLine ?? 0 : 0);
            return ExtractedRecord.Rejected(string.Create(CultureInfo.InvariantCulture, $"{RejectionReasons.MalformedJson} at byte {at}: {FirstSentence(e.Message)}"), raw.Bytes, location);
        }

        using (document)
        {
            var root = document.RootElement;
            // The content behind the event id: the element's bytes, without the whitespace around them, which means nothing in JSON.
            return root.ValueKind == JsonValueKind.Object
                ? file.Map(new JsonFieldReader(root), raw.Bytes, raw.Bytes.AsSpan().Trim(" \t\r\n"u8), location)
                : ExtractedRecord.Rejected($"{RejectionReasons.WrongType} record is a JSON {root.ValueKind.ToString().ToLower(CultureInfo.InvariantCulture)}, not an object", raw.Bytes, location);
        }
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" Path:", StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }
}
