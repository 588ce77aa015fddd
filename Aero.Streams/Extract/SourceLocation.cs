namespace Aero.Streams.Extract;

/// <summary>
/// Where a record came from: the source name (a file name or an API name), the file path if any, the zero-based
/// record index within the source, and the 1-based line for line-oriented formats (CSV, NDJSON).
/// </summary>
public readonly record struct SourceLocation(string Source, string? Path, long Position, long? Line = null)
{
    public override string ToString() => Line is { } line ? $"{Path ?? Source}:{line}" : $"{Path ?? Source}#{Position}";
}
