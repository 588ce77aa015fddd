using System.Buffers;
using System.Collections.Frozen;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using Parquet;

namespace Aero.Streams.Extract;

/// <summary>
/// Parquet, one row group at a time, reading only the columns the mapper can use. The original of each row is the
/// row rendered as JSON (column name to value), since a Parquet row has no bytes of its own; it is rendered only when
/// asked for (for a rejected row), so each record keeps its row group's columns, not a copy of its row.
/// </summary>
internal static class ParquetFileReader
{
    public static IEnumerable<ExtractedRecord> Read(Stream stream, FileContext file)
    {
        if (stream.Length == 0)
        {
            yield break;
        }

        ParquetReader reader;
        string? unreadable = null;
        try
        {
            reader = ParquetReader.CreateAsync(stream, leaveStreamOpen: true).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException || e.GetType().Namespace?.StartsWith("Parquet", StringComparison.Ordinal) == true)
        {
            reader = null!;
            unreadable = e.Message;
        }

        if (unreadable is not null)
        {
            // Its rows cannot be counted, so the whole file is one rejection; its bytes stay in the file, not in memory.
            yield return ExtractedRecord.Rejected($"{RejectionReasons.MalformedParquet} not a readable Parquet file: {unreadable}", [], file.Location(0));
            yield break;
        }

        try
        {
            var wanted = file.Mapper.ColumnNames.ToHashSet(StringComparer.Ordinal);
            var fields = reader.Schema.GetDataFields().Where(field => wanted.Contains(field.Name)).ToArray();
            var interner = new TextInterner();
            var scratch = new ParquetScratch();
            long position = 0;
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                ParquetColumn[] columns;
                int rows;
                using (var group = reader.OpenRowGroupReader(g))
                {
                    rows = checked((int)group.RowCount);
                    columns = [.. fields.Select(field => ParquetColumn.Read(group, field, rows, interner, scratch))];
                }

                var row = new RowReader(columns);
                for (var r = 0; r < rows; r++)
                {
                    row.Row = r;
                    yield return file.Map(row, row, r, row.Digest(), file.Location(position++));
                }
            }
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    // Readable originals: nothing here is embedded in HTML, so '+' and the like need no escaping.
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static byte[] Render(ParquetColumn[] columns, int row)
    {
        var json = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(json, JsonOptions))
        {
            writer.WriteStartObject();
            foreach (var column in columns)
            {
                writer.WritePropertyName(column.Name);
                column.Write(writer, row);
            }

            writer.WriteEndObject();
        }

        return json.WrittenSpan.ToArray();
    }

    // The current row's fields, and any row's original: it keeps its row group's columns.
    private sealed class RowReader(ParquetColumn[] columns) : IFieldReader, IOriginalRenderer
    {
        // Looked up for every field of every row: a frozen dictionary finds names faster than a Dictionary.
        private readonly FrozenDictionary<string, ParquetColumn> byName = columns.ToFrozenDictionary(column => column.Name, StringComparer.Ordinal);

        // By name, so a file written with its columns in another order keeps its ids.
        private readonly (byte[] Name, ParquetColumn Column)[] canonicalOrder =
            [.. columns.OrderBy(column => column.Name, StringComparer.Ordinal).Select(column => (Encoding.UTF8.GetBytes(column.Name), column))];

        private readonly ArrayBufferWriter<byte> canonical = new(256);

        public int Row { get; set; }

        /// <summary>
        /// XXH128 of the current row's canonical bytes: for each column read, by name, its UTF-8 name, a 0 byte and
        /// its value (<see cref="ParquetColumn.AppendCanonical"/>). A Parquet row has no bytes of its own to hash.
        /// </summary>
        public UInt128 Digest()
        {
            canonical.ResetWrittenCount();
            foreach (var (name, column) in canonicalOrder)
            {
                canonical.Write(name);
                canonical.Write([(byte)0]);
                column.AppendCanonical(canonical, Row);
            }

            return XxHash128.HashToUInt128(canonical.WrittenSpan);
        }

        public FieldValue Get(string name) => byName.TryGetValue(name, out var column) ? column.Get(Row) : FieldValue.Missing;

        public byte[] Render(int row) => ParquetFileReader.Render(columns, row);
    }
}
