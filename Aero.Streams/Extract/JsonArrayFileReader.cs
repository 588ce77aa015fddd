using System.Globalization;

namespace Aero.Streams.Extract;

/// <summary>
/// A JSON array of objects, one element at a time with its exact bytes. An element that is unreadable but delimited
/// is rejected alone; once the array itself breaks (a missing ',' or the file ending inside an element), the rest of
/// the file becomes one rejection, since no further element boundary can be trusted.
/// </summary>
internal static class JsonArrayFileReader
{
    public static IEnumerable<ExtractedRecord> Read(Stream stream, FileContext file)
    {
        var scanner = new ByteScanner(stream, file.Settings.MaxRecordBytes);
        long count = 0;
        foreach (var record in Read(scanner, file))
        {
            count++;
            yield return record;
        }

        if (scanner.Unreadable(file, count) is { } unreadable)
        {
            yield return unreadable;
        }
    }

    private static IEnumerable<ExtractedRecord> Read(ByteScanner scanner, FileContext file)
    {
        scanner.SkipBom();
        long position = 0;
        var next = scanner.PeekNonWhitespace();
        if (next < 0)
        {
            yield break;
        }

        if (next != '[')
        {
            yield return Rest(scanner, file, position, "expected '[' (a .json file holds one array; use .ndjson for one object per line)");
            yield break;
        }

        scanner.Skip();
        if (scanner.PeekNonWhitespace() == ']')
        {
            scanner.Skip();
            if (TrailingData(scanner, file, position) is { } afterEmpty)
            {
                yield return afterEmpty;
            }

            yield break;
        }

        while (true)
        {
            if (scanner.PeekNonWhitespace() < 0)
            {
                // The file ends where an element should start: a file cut short, whose lost tail must be said.
                yield return CutShort(file, position);
                yield break;
            }

            if (!scanner.TryReadJsonValue(out var raw))
            {
                yield return ExtractedRecord.Rejected(
                    string.Create(CultureInfo.InvariantCulture, $"{RejectionReasons.MalformedJson} file ends inside the element at byte {raw.Offset} (truncated?)"),
                    raw.Bytes,
                    file.Location(position));
                yield break;
            }

            yield return JsonRecords.Parse(file, raw, file.Location(position++));
            var separator = scanner.PeekNonWhitespace();
            if (separator == ',')
            {
                scanner.Skip();
                continue;
            }

            if (separator == ']')
            {
                scanner.Skip();
                if (TrailingData(scanner, file, position) is { } trailing)
                {
                    yield return trailing;
                }

                yield break;
            }

            if (separator < 0)
            {
                yield return CutShort(file, position);
                yield break;
            }

            yield return Rest(scanner, file, position, "expected ',' or ']' after an element");
            yield break;
        }
    }

    // No bytes to keep: what is missing is what the file does not hold.
    private static ExtractedRecord CutShort(FileContext file, long position) =>
        ExtractedRecord.Rejected($"{RejectionReasons.MalformedJson} file ends before the array's closing ']' (truncated?)", [], file.Location(position));

    private static ExtractedRecord? TrailingData(ByteScanner scanner, FileContext file, long position) =>
        scanner.PeekNonWhitespace() < 0 ? null : Rest(scanner, file, position, "data after the end of the array");

    private static ExtractedRecord Rest(ByteScanner scanner, FileContext file, long position, string why)
    {
        var rest = scanner.ReadRest();
        return ExtractedRecord.Rejected(
            string.Create(CultureInfo.InvariantCulture, $"{RejectionReasons.MalformedJson} {why} at byte {rest.Offset}; the rest of the file ({rest.Length} bytes) is this one record"),
            rest.Bytes,
            file.Location(position));
    }
}
