using System.Buffers;
using System.Globalization;
using System.Text.Unicode;

namespace Aero.Streams.Extract;

/// <summary>One file being read: its names, the mapper, and the rejections every format shares.</summary>
internal sealed class FileContext(string path, FileSourceSettings settings)
{
    public string Path { get; } = path;

    /// <summary>The file name: the source of every record and of its event id.</summary>
    public string Source { get; } = System.IO.Path.GetFileName(path);

    public FileSourceSettings Settings { get; } = settings;

    public FlightFieldMapper Mapper { get; } = new(settings);

    public SourceLocation Location(long position, long? line = null) => new(Source, Path, position, line);

    /// <summary>Maps the record, or rejects it with the reason the mapper gave.</summary>
    public ExtractedRecord Map(IFieldReader fields, byte[] original, SourceLocation location)
    {
        try
        {
            return ExtractedRecord.Parsed(Mapper.Map(fields, Source, location.Position), original, location);
        }
        catch (RecordRejectedException rejected)
        {
            return ExtractedRecord.Rejected(rejected.Message, original, location);
        }
    }

    /// <summary>As <see cref="Map(IFieldReader, byte[], SourceLocation)"/>, for a row whose original is rendered only when asked for.</summary>
    public ExtractedRecord Map(IFieldReader fields, IOriginalRenderer renderer, int row, SourceLocation location)
    {
        try
        {
            return ExtractedRecord.Parsed(Mapper.Map(fields, Source, location.Position), renderer, row, location);
        }
        catch (RecordRejectedException rejected)
        {
            return ExtractedRecord.Rejected(rejected.Message, renderer, row, location);
        }
    }

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
