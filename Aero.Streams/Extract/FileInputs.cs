using System.IO.Compression;
using Microsoft.Extensions.FileSystemGlobbing;

namespace Aero.Streams.Extract;

/// <summary>Resolves an input (file, directory or glob) to files, and opens a file by its format, gunzipping if needed.</summary>
internal static class FileInputs
{
    public static bool IsGlob(string input) => input.AsSpan().IndexOfAny("*?[") >= 0;

    private const string Supported = ".csv, .json, .ndjson, .jsonl, .parquet, each optionally .gz, or a .zip holding one .csv";

    /// <summary>The files of the input, in a stable order (ordinal by path).</summary>
    public static IReadOnlyList<string> Resolve(string input)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(input);
        if (IsGlob(input) || Directory.Exists(input))
        {
            return [.. Entries(input).Where(path => File.Exists(path) && FormatOf(path) is not null)];
        }

        if (!File.Exists(input))
        {
            throw new FileNotFoundException($"No such file or directory: {input}", input);
        }

        return FormatOf(input) is null
            ? throw new ArgumentException($"{input}: not a supported format ({Supported})", nameof(input))
            : [input];
    }

    /// <summary>
    /// What a directory or glob names but <see cref="Resolve"/> leaves out, in the same order: files of no supported
    /// format, and a directory's subdirectories (a directory is read without descending; a glob such as DIR/**/*.csv
    /// reads below it). A single file is never skipped: an unsupported one is an error.
    /// </summary>
    public static IReadOnlyList<SkippedInput> Skipped(string input)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(input);
        if (!IsGlob(input) && !Directory.Exists(input))
        {
            return [];
        }

        return [.. Entries(input).Select(path =>
            Directory.Exists(path) ? new SkippedInput(path, $"a subdirectory: a directory is read without its subdirectories; name a glob such as {Path.Combine(input, "**", "*.csv")} to read them")
            : FormatOf(path) is null ? new SkippedInput(path, $"not a supported format ({Supported})")
            : null).OfType<SkippedInput>()];
    }

    // Every entry a glob matches or a directory holds (files and subdirectories), ordinal by path.
    private static IEnumerable<string> Entries(string input)
    {
        if (!IsGlob(input))
        {
            return Directory.EnumerateFileSystemEntries(input).Order(StringComparer.Ordinal);
        }

        var (root, pattern) = SplitGlob(input);
        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude(pattern);
        return matcher.GetResultsInFullPath(root).Order(StringComparer.Ordinal);
    }

    /// <summary>The format by extension, ignoring a trailing .gz; a .zip is a CSV (BTS's monthly downloads); null if not supported.</summary>
    public static FileFormat? FormatOf(string path)
    {
        if (path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            return FileFormat.Csv;
        }

        var name = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
        return Path.GetExtension(name).ToLowerInvariant() switch
        {
            ".csv" => FileFormat.Csv,
            ".json" => FileFormat.JsonArray,
            ".ndjson" or ".jsonl" => FileFormat.Ndjson,
            ".parquet" => FileFormat.Parquet,
            _ => null,
        };
    }

    /// <summary>
    /// Opens the file for reading: a .zip's one .csv member (other members, such as BTS's readme.html, are not flights),
    /// gunzipped when it is named .gz and starts with gzip's magic bytes (1f 8b); a .gz
    /// name without them is read as it is. Parquet needs to seek, so a gzipped one is unpacked into a temporary file.
    /// </summary>
    public static Stream Open(string path, FileFormat format)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        try
        {
            if (path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            {
                return ZipMember.Open(file, path);
            }

            if (!path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) || !HasGzipMagic(file))
            {
                return new BufferedStream(file, 64 * 1024);
            }

            var gzip = new GZipStream(file, CompressionMode.Decompress);
            if (format != FileFormat.Parquet)
            {
                return gzip;
            }

            using (gzip)
            {
                var unpacked = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
                gzip.CopyTo(unpacked);
                unpacked.Position = 0;
                return unpacked;
            }
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static bool HasGzipMagic(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        var read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    // "data/**/*.csv" -> ("data", "**/*.csv"): the matcher wants a root directory and a relative pattern.
    private static (string Root, string Pattern) SplitGlob(string input)
    {
        var parts = input.Replace('\\', '/').Split('/');
        var literal = parts.TakeWhile(part => !IsGlob(part)).ToArray();
        var root = literal.Length == 0 ? "." : string.Join('/', literal);
        if (root.Length == 0)
        {
            root = "/";
        }

        return (root, string.Join('/', parts.Skip(literal.Length)));
    }
}
