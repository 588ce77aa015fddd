using Akka;
using Akka.Streams;
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
            .ConcatMany(path => Source.From(new ReadOnce(path, settings)))
            // Reading files blocks; keep it off the default dispatcher, as Akka's FileIO does.
            .WithAttributes(ActorAttributes.CreateDispatcher("akka.stream.default-blocking-io-dispatcher"));
    }

    /// <inheritdoc cref="Create(string, FileSourceSettings)"/>
    public static Source<ExtractedRecord, NotUsed> Create(string input) => Create(input, FileSourceSettings.Default);

    /// <summary>The records of one file; each enumeration reads the file anew, so the source can be materialized again.</summary>
    private sealed class ReadOnce(string path, FileSourceSettings settings) : IEnumerable<ExtractedRecord>
    {
        public IEnumerator<ExtractedRecord> GetEnumerator() => Read(path, settings).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

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
}
