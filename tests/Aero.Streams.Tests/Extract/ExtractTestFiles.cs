using System.IO.Compression;
using System.Text.Json;
using Aero.Streams.Extract;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace Aero.Streams.Tests.Extract;

/// <summary>A temporary directory for files a spec writes, and a way to run the source over them.</summary>
public sealed class ExtractTestFiles : IDisposable
{
    private readonly ActorSystem system = ActorSystem.Create("extract");

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("aero-extract-").FullName;

    public static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "data", "sample", name);

    public string Write(string name, byte[] content)
    {
        var path = Path.Combine(Directory, name);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    public string Write(string name, string content) => Write(name, System.Text.Encoding.UTF8.GetBytes(content));

    /// <summary>A gzipped copy of a file.</summary>
    public string Gzip(string path, string name)
    {
        var target = Path.Combine(Directory, name);
        using var input = File.OpenRead(path);
        using var output = new GZipStream(File.Create(target), CompressionLevel.Fastest);
        input.CopyTo(output);
        return target;
    }

    /// <summary>The elements of a JSON array file, one per line, as NDJSON.</summary>
    public string ToNdjson(string jsonArrayPath, string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(jsonArrayPath));
        return Write(name, string.Join('\n', document.RootElement.EnumerateArray().Select(e => e.GetRawText())) + "\n");
    }

    /// <summary>Every record of the input; the await also proves the stream completed normally.</summary>
    public Task<IReadOnlyList<ExtractedRecord>> Extract(string input, FileSourceSettings? settings = null) =>
        Run(FlightFileSource.Create(input, settings ?? FileSourceSettings.Default));

    public async Task<IReadOnlyList<ExtractedRecord>> Run(Source<ExtractedRecord, Akka.NotUsed> source, TimeSpan? timeout = null) =>
        await source.RunWith(Sink.Seq<ExtractedRecord>(), system.Materializer()).WaitAsync(timeout ?? TimeSpan.FromSeconds(30));

    public void Dispose()
    {
        system.Terminate().Wait(TimeSpan.FromSeconds(10));
        system.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
