namespace Aero.Streams.Extract;

/// <summary>One JSON object per line; blank lines are not records.</summary>
internal static class NdjsonFileReader
{
    public static IEnumerable<ExtractedRecord> Read(Stream stream, FileContext file)
    {
        var scanner = new ByteScanner(stream, file.Settings.MaxRecordBytes);
        scanner.SkipBom();
        long position = 0;
        while (scanner.TryReadLine(out var raw))
        {
            if (!raw.IsTruncated && raw.Bytes.AsSpan().Trim(" \t\r"u8).IsEmpty)
            {
                continue;
            }

            yield return JsonRecords.Parse(file, raw, file.Location(position++, raw.Line));
        }

        if (scanner.Unreadable(file, position) is { } unreadable)
        {
            yield return unreadable;
        }
    }
}
