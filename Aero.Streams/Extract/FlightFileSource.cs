using Akka;
using Akka.Util;
using Akka.Streams.Dsl;

namespace Aero.Streams.Extract;

/// <summary>
/// Extracts flight records from files: CSV, a JSON array, NDJSON or Parquet, each optionally gzipped. Every input
/// record becomes exactly one <see cref="ExtractedRecord"/>, parsed or rejected with a reason from
/// <see cref="RejectionReasons"/>; bad input never fails the stream. Streaming and backpressured: one record (or one
/// Parquet row group) at a time, never a whole file.
/// </summary>
public static class FlightFileSource
{
    /// <param name="input">A file, a directory (its supported files, sorted by name) or a glob such as <c>data/**/*.csv</c>.</param>
    /// <exception cref="FileNotFoundException">The input is neither an existing file or directory nor a glob.</exception>
    public static Source<ExtractedRecord, NotUsed> Create(string input, FileSourceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var files = FileInputs.Resolve(input);
        return Source.From(files)
            // UnfoldResource rather than Source.From: it disposes the reader (closing the file) when cancelled, and it
            // runs on Akka's blocking-I/O dispatcher, as FileIO does, since reading files blocks.
            .ConcatMany(path => Source.UnfoldResource(
                () => Read(path, settings).GetEnumerator(),
                records => records.MoveNext() ? Option<ExtractedRecord>.Create(records.Current) : Option<ExtractedRecord>.None,
                records => records.Dispose()));
    }

    /// <inheritdoc cref="Create(string, FileSourceSettings)"/>
    public static Source<ExtractedRecord, NotUsed> Create(string input) => Create(input, FileSourceSettings.Default);

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
