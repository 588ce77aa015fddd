using Aero.Streams.Extract;
using Aero.Streams.Extract.OpenSky;
using Akka;
using Akka.Streams.Dsl;

namespace Aero.Node.Commands;

/// <summary>An input of <c>aero produce</c> and <c>aero run</c>: its records in chunks, and how many to expect when that is cheap to know.</summary>
public sealed record ExtractInput(Source<IReadOnlyList<ExtractedRecord>, NotUsed> Chunks, long? ExpectedRecords, string Description)
{
    /// <summary>What the input names but the extract does not read (a directory's other files and subdirectories), and why.</summary>
    public IReadOnlyList<SkippedInput> Skipped { get; init; } = [];

    /// <summary>An http(s) URL polls OpenSky at that base URL until stopped; anything else is a file, a directory or a glob.</summary>
    public static async Task<ExtractInput> OpenAsync(string input, Akka.Configuration.Config config, FileSourceSettings fileSettings, CancellationToken cancellation)
    {
        if (Uri.TryCreate(input, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
        {
            var states = OpenSkySource.Create(OpenSkySettings.Create(config).WithBaseUrl(url)).Select(record => (IReadOnlyList<ExtractedRecord>)[record]);
            return new ExtractInput(states, null, $"OpenSky at {url.Host}");
        }

        var files = FlightFileSource.Files(input);
        if (files.Count == 0)
        {
            throw new FileNotFoundException($"{input} names no CSV, JSON, NDJSON, Parquet or zipped CSV file.");
        }

        long? expected = 0;
        foreach (var file in files)
        {
            expected = await FlightFileSource.CountRecordsAsync(file, cancellation) is { } count ? expected + count : null;
            if (expected is null)
            {
                break;
            }
        }

        var description = files.Count == 1 ? Path.GetFileName(files[0]) : $"{files.Count} files";
        return new ExtractInput(FlightFileSource.CreateChunks(input, fileSettings), expected, description)
        {
            Skipped = FlightFileSource.Skipped(input),
        };
    }
}
