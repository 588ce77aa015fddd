namespace Aero.Streams.Extract;

/// <summary>
/// Reads records out of a byte stream through one fixed buffer: lines (optionally with quoted newlines, for CSV) and
/// JSON values (by bracket depth, strings skipped), keeping at most max-record-bytes of any record, so neither a huge
/// file nor a huge record is ever held whole.
/// </summary>
internal sealed class ByteScanner
{
    private readonly Stream stream;
    private readonly int maxRecordBytes;
    private readonly byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;
    private bool eof;
    private long bufferOffset;
    private long line = 1;

    // The record being read: its kept bytes and its true length.
    private byte[] record = new byte[4096];
    private int kept;
    private long length;

    public ByteScanner(Stream stream, int maxRecordBytes)
    {
        this.stream = stream;
        this.maxRecordBytes = maxRecordBytes;
    }

    /// <summary>Byte offset of the next unread byte.</summary>
    public long Offset => bufferOffset + start;

    public long Line => line;

    /// <summary>Why the stream stopped early (corrupt gzip data), or null if it was read to its end.</summary>
    public string? DataError { get; private set; }

    /// <summary>The rejection for a stream that could not be read to its end, if it could not.</summary>
    public ExtractedRecord? Unreadable(FileContext file, long position) => DataError is null
        ? null
        : ExtractedRecord.Rejected(
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{RejectionReasons.MalformedGzip} the data after byte {Offset} cannot be decompressed: {DataError}"),
            [],
            file.Location(position));

    /// <summary>Skips a UTF-8 byte order mark at the start.</summary>
    public void SkipBom()
    {
        if (Fill() && end - start >= 3 && buffer[start] == 0xEF && buffer[start + 1] == 0xBB && buffer[start + 2] == 0xBF)
        {
            start += 3;
        }
    }

    /// <summary>The next line without its line ending; false at the end.</summary>
    public bool TryReadLine(out RawRecord raw) => TryReadRecord(csvDelimiter: null, out raw);

    /// <summary>
    /// The next CSV record without its line ending; false at the end. A newline inside a quoted field does not end
    /// it; as in RFC 4180 a field is quoted only if it starts with a quote, so a stray quote mid-field changes nothing.
    /// </summary>
    public bool TryReadCsvRecord(char delimiter, out RawRecord raw) => TryReadRecord(delimiter, out raw);

    private bool TryReadRecord(char? csvDelimiter, out RawRecord raw)
    {
        var offset = Offset;
        var firstLine = line;
        if (!Fill())
        {
            raw = default;
            return false;
        }

        Begin();
        var delimiter = csvDelimiter ?? '\n';
        var fieldStart = true;
        var inQuotes = false;
        var justClosed = false;
        while (Fill())
        {
            var span = buffer.AsSpan(start, end - start);
            int i;
            if (csvDelimiter is null)
            {
                i = span.IndexOf((byte)'\n');
            }
            else
            {
                i = -1;
                for (var j = 0; j < span.Length; j++)
                {
                    var b = span[j];
                    if (inQuotes)
                    {
                        if (b == '"')
                        {
                            inQuotes = false;
                            justClosed = true;
                        }
                        else if (b == '\n')
                        {
                            line++;
                        }

                        continue;
                    }

                    if (justClosed && b == '"')
                    {
                        // "" inside a quoted field: an escaped quote, the field goes on.
                        inQuotes = true;
                        justClosed = false;
                        continue;
                    }

                    justClosed = false;
                    if (b == '\n')
                    {
                        i = j;
                        break;
                    }

                    if (b == delimiter)
                    {
                        fieldStart = true;
                        continue;
                    }

                    inQuotes = b == '"' && fieldStart;
                    fieldStart = false;
                }
            }

            if (i < 0)
            {
                Append(span);
                start = end;
                continue;
            }

            Append(span[..i]);
            start += i + 1;
            line++;
            break;
        }

        if (kept > 0 && kept == length && record[kept - 1] == '\r')
        {
            kept--;
            length--;
        }

        raw = Take(offset, firstLine);
        return true;
    }

    /// <summary>Skips whitespace and returns the next byte without consuming it, or -1 at the end.</summary>
    public int PeekNonWhitespace()
    {
        while (Fill())
        {
            var b = buffer[start];
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return b;
            }

            if (b == '\n')
            {
                line++;
            }

            start++;
        }

        return -1;
    }

    /// <summary>Consumes one byte.</summary>
    public void Skip()
    {
        if (Fill())
        {
            start++;
        }
    }

    /// <summary>
    /// Reads one JSON value starting at the next byte: an object or array to its matching bracket, a string to its
    /// closing quote, anything else up to the next ',', ']', '}' or whitespace. False if the file ends inside it
    /// (the bytes read so far are still returned).
    /// </summary>
    public bool TryReadJsonValue(out RawRecord raw)
    {
        var offset = Offset;
        var firstLine = line;
        Begin();
        var depth = 0;
        var inString = false;
        var escaped = false;
        var first = true;
        var scalar = false;
        var complete = false;
        while (!complete && Fill())
        {
            var span = buffer.AsSpan(start, end - start);
            var j = 0;
            for (; j < span.Length; j++)
            {
                var b = span[j];
                if (first)
                {
                    first = false;
                    if (b == '"')
                    {
                        inString = true;
                    }
                    else if (b is (byte)'{' or (byte)'[')
                    {
                        depth = 1;
                    }
                    else
                    {
                        scalar = true;
                    }

                    continue;
                }

                if (b == '\n')
                {
                    line++;
                }

                if (inString)
                {
                    if (escaped)
                    {
                        escaped = false;
                    }
                    else if (b == '\\')
                    {
                        escaped = true;
                    }
                    else if (b == '"')
                    {
                        inString = false;
                        if (depth == 0)
                        {
                            j++;
                            complete = true;
                            break;
                        }
                    }
                }
                else if (scalar)
                {
                    if (b is (byte)',' or (byte)']' or (byte)'}' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                    {
                        complete = true;
                        break;
                    }
                }
                else if (b == '"')
                {
                    inString = true;
                }
                else if (b is (byte)'{' or (byte)'[')
                {
                    depth++;
                }
                else if (b is (byte)'}' or (byte)']' && --depth == 0)
                {
                    j++;
                    complete = true;
                    break;
                }
            }

            Append(span[..j]);
            start += j;
        }

        raw = Take(offset, firstLine);
        return complete || (scalar && length > 0);
    }

    /// <summary>Everything left in the file, as one record.</summary>
    public RawRecord ReadRest()
    {
        var offset = Offset;
        var firstLine = line;
        Begin();
        while (Fill())
        {
            Append(buffer.AsSpan(start, end - start));
            start = end;
        }

        return Take(offset, firstLine);
    }

    private bool Fill()
    {
        if (start < end)
        {
            return true;
        }

        if (eof)
        {
            return false;
        }

        bufferOffset += end;
        start = 0;
        try
        {
            end = stream.Read(buffer, 0, buffer.Length);
        }
        catch (InvalidDataException e)
        {
            // Corrupt gzip: what was read stands, the rest cannot be, and the reader reports it as one rejection.
            end = 0;
            DataError = e.Message;
        }

        eof = end == 0;
        return !eof;
    }

    private void Begin()
    {
        kept = 0;
        length = 0;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        length += bytes.Length;
        var room = maxRecordBytes - kept;
        if (room <= 0)
        {
            return;
        }

        bytes = bytes.Length > room ? bytes[..room] : bytes;
        if (kept + bytes.Length > record.Length)
        {
            Array.Resize(ref record, Math.Min(maxRecordBytes, Math.Max(record.Length * 2, kept + bytes.Length)));
        }

        bytes.CopyTo(record.AsSpan(kept));
        kept += bytes.Length;
    }

    private RawRecord Take(long offset, long firstLine) => new(record.AsSpan(0, kept).ToArray(), length, offset, firstLine);
}
