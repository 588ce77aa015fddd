using System.Globalization;
using System.IO.Hashing;
using System.Text;

namespace Aero.Streams.Extract;

/// <summary>
/// CSV with a header row (RFC 4180 quoting, newlines allowed inside quotes). Read line by line with our own scanner
/// rather than a CSV library so that every record keeps its exact bytes and a huge line is never held whole.
/// </summary>
internal static class CsvFileReader
{
    public static IEnumerable<ExtractedRecord> Read(Stream stream, FileContext file)
    {
        var scanner = new ByteScanner(stream, file.Settings.MaxRecordBytes);
        scanner.SkipBom();
        var delimiter = file.Settings.CsvDelimiter;
        if (!scanner.TryReadCsvRecord(delimiter, out var headerLine))
        {
            yield break;
        }

        // A damaged header is not a record: its columns just will not match, and every row says which field is missing.
        var header = Split(Encoding.UTF8.GetString(headerLine.Bytes), delimiter) ?? [];
        // A column named twice: which value is meant is unknown, so no row of the file is read as a flight.
        var duplicate = DuplicateColumn(header);
        var fields = duplicate is null ? new CsvFieldReader(header) : null;
        file.ContentSeed = (long)XxHash64.HashToUInt64(headerLine.Bytes);
        long position = 0;
        while (scanner.TryReadCsvRecord(delimiter, out var raw))
        {
            if (!raw.IsTruncated && raw.Bytes.AsSpan().Trim(" \t\r"u8).IsEmpty)
            {
                continue;
            }

            var location = file.Location(position++, raw.Line);
            if (file.CheckBytes(raw) is { } rejection)
            {
                yield return ExtractedRecord.Rejected(rejection, raw.Bytes, location);
                continue;
            }

            if (duplicate is not null)
            {
                yield return ExtractedRecord.Rejected(duplicate, raw.Bytes, location);
                continue;
            }

            var values = Split(Encoding.UTF8.GetString(raw.Bytes), delimiter);
            if (values is null)
            {
                yield return ExtractedRecord.Rejected($"{RejectionReasons.MalformedCsv} unterminated quoted field", raw.Bytes, location);
            }
            else if (values.Length != header.Length)
            {
                yield return ExtractedRecord.Rejected(
                    string.Create(CultureInfo.InvariantCulture, $"{RejectionReasons.ColumnCount} {values.Length} columns where the header has {header.Length}"),
                    raw.Bytes,
                    location);
            }
            else
            {
                fields!.Values = values;
                yield return file.Map(fields, raw.Bytes, raw.Bytes, location);
            }
        }

        if (scanner.Unreadable(file, position) is { } unreadable)
        {
            yield return unreadable;
        }
    }

    /// <summary>The rejection of every row when the header names a column twice (names trimmed, as looked up); else null.</summary>
    private static string? DuplicateColumn(string[] header)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            var name = header[i].Trim();
            if (!first.TryAdd(name, i))
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"{RejectionReasons.MalformedCsv} the header names column \"{name}\" twice (columns {first[name] + 1} and {i + 1}), so which value is meant is unknown");
            }
        }

        return null;
    }

    /// <summary>The fields of one record, unquoted; null if a quote is never closed.</summary>
    internal static string[]? Split(string line, char delimiter)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (true)
        {
            field.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        return null;
                    }

                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(line[i++]);
                }

                // Anything between the closing quote and the delimiter is kept, as most readers do.
                while (i < line.Length && line[i] != delimiter)
                {
                    field.Append(line[i++]);
                }
            }
            else
            {
                var next = line.IndexOf(delimiter, i);
                var stop = next < 0 ? line.Length : next;
                field.Append(line, i, stop - i);
                i = stop;
            }

            fields.Add(field.ToString());
            if (i >= line.Length)
            {
                return [.. fields];
            }

            i++; // the delimiter
        }
    }

    /// <summary>The current row's values by header name: as written, else ignoring case (BTS's names come in several casings).</summary>
    private sealed class CsvFieldReader : IFieldReader
    {
        private readonly Dictionary<string, int> index;
        private readonly Dictionary<string, int> ignoringCase = new(StringComparer.OrdinalIgnoreCase);

        public CsvFieldReader(string[] header)
        {
            index = header
                .Select((name, i) => (Name: name.Trim(), Index: i))
                .ToDictionary(column => column.Name, column => column.Index, StringComparer.Ordinal);
            foreach (var (name, i) in index)
            {
                // Two columns differing only in case: neither is meant by a third casing.
                if (!ignoringCase.TryAdd(name, i))
                {
                    ignoringCase[name] = -1;
                }
            }
        }

        public string[] Values { get; set; } = [];

        public FieldValue Get(string name) => index.TryGetValue(name, out var i) || (ignoringCase.TryGetValue(name, out i) && i >= 0)
            ? Values[i].Length == 0 ? FieldValue.Null : FieldValue.OfText(Values[i])
            : FieldValue.Missing;
    }
}
