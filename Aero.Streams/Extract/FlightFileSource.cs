using Akka;
using Akka.Util;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace Aero.Streams.Extract;

/// <summary>
/// Extracts flight records from files: CSV, a JSON array, NDJSON or Parquet, each optionally gzipped. Every input
/// record becomes exactly one <see cref="ExtractedRecord"/>, parsed or rejected with a reason from
/// <see cref="RejectionReasons"/>; bad input never fails the stream. Streaming and backpressured: one chunk of records (and
/// one Parquet row group) at a time, never a whole file.
/// </summary>
public static class FlightFileSource
{
    // Small: the async boundary after the source holds 16 chunks (Akka.NET sizes an island's input buffer from the
    // materializer's settings only), and every record waiting there outlives young-generation collections. 64 still
    // spreads the per-element cost; 256 cost about 0.5 µs more CPU per record, 32 no less than 64.
    /// <summary>Records per chunk of <see cref="CreateChunks(string, FileSourceSettings)"/>.</summary>
    public const int ChunkSize = 64;

    /// <param name="input">A file, a directory (its supported files, sorted by name) or a glob such as <c>data/**/*.csv</c>.</param>
    /// <exception cref="FileNotFoundException">The input is neither an existing file or directory nor a glob.</exception>
    public static Source<ExtractedRecord, NotUsed> Create(string input, FileSourceSettings settings) =>
        CreateChunks(input, settings).SelectMany(chunk => chunk);

    /// <summary>
    /// As <see cref="Create(string, FileSourceSettings)"/>, in order, in chunks of up to <see cref="ChunkSize"/> records:
    /// for the bulk extract, where the stream's cost per element would otherwise be paid for every record.
    /// </summary>
    /// <inheritdoc cref="Create(string, FileSourceSettings)"/>
    public static Source<IReadOnlyList<ExtractedRecord>, NotUsed> CreateChunks(string input, FileSourceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var files = FileInputs.Resolve(input);
        return Source.From(files)
            // UnfoldResource rather than Source.From: it disposes the reader (closing the file) when cancelled, and it
            // runs on Akka's blocking-I/O dispatcher, as FileIO does, since reading files blocks.
            .ConcatMany(path => Source.UnfoldResource(
                () => Read(path, settings).GetEnumerator(),
                records => NextChunk(records) is { } chunk ? Option<IReadOnlyList<ExtractedRecord>>.Create(chunk) : Option<IReadOnlyList<ExtractedRecord>>.None,
                records => records.Dispose()))
            // Reading and parsing in their own actor, on the blocking-I/O dispatcher's threads (the Parquet reader waits
            // on tasks), so that downstream (validation, serialization, Kafka) runs in parallel on the other core.
            // UnfoldResource runs in an actor of its own, and this island's boundary towards it would otherwise hold 16
            // chunks (4,096 records) read ahead: records that outlive young-generation collections for nothing.
            .WithAttributes(new Attributes(ActorAttributes.IODispatcher).And(Attributes.CreateInputBuffer(2, 2)))
            .Async();
    }

    /// <inheritdoc cref="Create(string, FileSourceSettings)"/>
    public static Source<ExtractedRecord, NotUsed> Create(string input) => Create(input, FileSourceSettings.Default);

    /// <summary>The files <paramref name="input"/> names, in the order <see cref="Create(string, FileSourceSettings)"/> reads them.</summary>
    public static IReadOnlyList<string> Files(string input) => FileInputs.Resolve(input);

    /// <summary>Whether <paramref name="path"/> is in a format the extract reads, by its name (as a directory's files are chosen).</summary>
    public static bool Reads(string path) => FileInputs.FormatOf(path) is not null;

    /// <summary>What <paramref name="input"/> names but <see cref="Create(string, FileSourceSettings)"/> does not read, and why.</summary>
    public static IReadOnlyList<SkippedInput> Skipped(string input) => FileInputs.Skipped(input);

    /// <summary>
    /// How many records a file holds, cheaply, for progress: exact for Parquet (its metadata), lines for CSV (less the
    /// header) and NDJSON; null for a JSON array, which would have to be parsed to be counted.
    /// </summary>
    public static async Task<long?> CountRecordsAsync(string path, CancellationToken cancellation = default)
    {
        var format = FileInputs.FormatOf(path);
        if (format is null or FileFormat.JsonArray)
        {
            return null;
        }

        await using var stream = FileInputs.Open(path, format.Value);
        if (format == FileFormat.Parquet)
        {
            await using var parquet = await Parquet.ParquetReader.CreateAsync(stream, cancellationToken: cancellation);
            return parquet.Metadata?.NumRows;
        }

        var buffer = new byte[64 * 1024];
        long lines = 0;
        var last = (byte)'\n';
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellation)) > 0)
        {
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
            last = buffer[read - 1];
        }

        lines += last == (byte)'\n' ? 0 : 1;
        return format == FileFormat.Csv ? Math.Max(0, lines - 1) : lines;
    }

    private static ExtractedRecord[]? NextChunk(IEnumerator<ExtractedRecord> records)
    {
        var chunk = new ExtractedRecord[ChunkSize];
        var count = 0;
        while (count < ChunkSize && records.MoveNext())
        {
            chunk[count++] = records.Current;
        }

        if (count == 0)
        {
            return null;
        }

        Array.Resize(ref chunk, count);
        return chunk;
    }

    private static IEnumerable<ExtractedRecord> Read(string path, FileSourceSettings settings)
    {
        var format = FileInputs.FormatOf(path) ?? throw new ArgumentException($"{path}: not a supported format", nameof(path));
        var file = new FileContext(path, settings);
        using var stream = FileInputs.Open(path, format);
        var records = format switch
        {
            FileFormat.Csv => CsvFileReader.Read(stream, file),
            FileFormat.JsonArray => JsonArrayFileReader.Read(stream, file),
            FileFormat.Ndjson => NdjsonFileReader.Read(stream, file),
            _ => ParquetFileReader.Read(stream, file),
        };
        foreach (var record in records)
        {
            yield return record;
        }
    }
}
