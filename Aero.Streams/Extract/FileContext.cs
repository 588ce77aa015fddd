using System.Buffers;
using System.Globalization;
using System.IO.Hashing;
using System.Text.Unicode;
using Aero.Flights;

namespace Aero.Streams.Extract;

/// <summary>One file being read: its names, the mapper, and the rejections every format shares.</summary>
internal sealed class FileContext(string path, FileSourceSettings settings)
{
    public string Path { get; } = path;

    private readonly ContentOccurrences occurrences = new();

    /// <summary>The file name: the source of every record (its event id does not depend on it).</summary>
    public string Source { get; } = System.IO.Path.GetFileName(path);

    public FileSourceSettings Settings { get; } = settings;

    public FlightFieldMapper Mapper { get; } = new(settings);

    /// <summary>
    /// The XXH128 seed of the records' content hashes: 0, or for CSV the XXH64 of the header row, so the same row under
    /// other columns is other content.
    /// </summary>
    public long ContentSeed { get; set; }

    public SourceLocation Location(long position, long? line = null) => new(Source, Path, position, line);

    /// <summary>Maps the record, or rejects it with the reason the mapper gave; its event id is its content's (<paramref name="content"/>).</summary>
    public ExtractedRecord Map(IFieldReader fields, byte[] original, ReadOnlySpan<byte> content, SourceLocation location)
    {
        var eventId = EventIdOf(XxHash128.HashToUInt128(content, ContentSeed));
        try
        {
            return ExtractedRecord.Parsed(Mapper.Map(fields, eventId, Source, location.Position), original, location);
        }
        catch (RecordRejectedException rejected)
        {
            return ExtractedRecord.Rejected(rejected.Message, original, location);
        }
    }

    /// <summary>
    /// As <see cref="Map(IFieldReader, byte[], ReadOnlySpan{byte}, SourceLocation)"/>, for a row whose original is rendered
    /// only when asked for, and whose content is its <paramref name="digest"/>.
    /// </summary>
    public ExtractedRecord Map(IFieldReader fields, IOriginalRenderer renderer, int row, UInt128 digest, SourceLocation location)
    {
        var eventId = EventIdOf(digest);
        try
        {
            return ExtractedRecord.Parsed(Mapper.Map(fields, eventId, Source, location.Position), renderer, row, location);
        }
        catch (RecordRejectedException rejected)
        {
            return ExtractedRecord.Rejected(rejected.Message, renderer, row, location);
        }
    }

    // The n-th repeat of one content in this file gets its own id: without a flight number, identical rows may be two flights.
    private string EventIdOf(UInt128 digest) => EventIds.FromDigest(digest, occurrences.Next(digest));

    /// <summary>The rejection for a record that is too large or not UTF-8, or null if it can be parsed.</summary>
    public string? CheckBytes(RawRecord raw)
    {
        if (raw.IsTruncated)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"{RejectionReasons.TooLarge} record of {raw.Length} bytes exceeds max-record-bytes {Settings.MaxRecordBytes} (at byte {raw.Offset}; the original keeps its first {raw.Bytes.Length} bytes)");
        }

        return Utf8.IsValid(raw.Bytes) ? null : string.Create(CultureInfo.InvariantCulture, $"{RejectionReasons.InvalidUtf8} at byte {raw.Offset + InvalidAt(raw.Bytes)}");
    }

    private static int InvalidAt(byte[] bytes)
    {
        var chars = ArrayPool<char>.Shared.Rent(bytes.Length);
        try
        {
            Utf8.ToUtf16(bytes, chars, out var read, out _, replaceInvalidSequences: false);
            return read;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}
