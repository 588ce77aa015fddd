using Aero.Flights;

namespace Aero.Streams.Extract;

/// <summary>
/// What every extract source emits, one per input record: the record parsed into a <see cref="FlightRecord"/>, or a
/// rejection with its reason. Either way it carries the original bytes (the line, the JSON element, or the row
/// rendered as JSON for Parquet) and where it came from, so a rejected record can be dead-lettered whole.
/// </summary>
public sealed record ExtractedRecord
{
    // Set, or rendered on first use: a Parquet row has no bytes of its own, and rendering every row as JSON cost more
    // than reading it, though only the few rejected rows ever need their original.
    // The renderer and the row rather than a closure: two fewer allocations for every row of a Parquet file.
    private byte[]? _original;
    private readonly IOriginalRenderer? _renderer;
    private readonly int _row;

    private ExtractedRecord(FlightRecord? flight, string? rejection, byte[]? original, IOriginalRenderer? renderer, int row, SourceLocation location)
    {
        Flight = flight;
        Rejection = rejection;
        _original = original;
        _renderer = renderer;
        _row = row;
        Location = location;
    }

    public FlightRecord? Flight { get; }

    /// <summary>Why the record could not be used; null for a parsed record.</summary>
    public string? Rejection { get; }

    /// <summary>The bytes of the input record (for Parquet, rendered when first asked for; rendering twice is harmless).</summary>
    public byte[] Original => _original ??= _renderer!.Render(_row);

    public SourceLocation Location { get; }

    public bool IsRejected => Rejection is not null;

    public static ExtractedRecord Parsed(FlightRecord flight, byte[] original, SourceLocation location) => new(flight, null, original, null, 0, location);

    public static ExtractedRecord Rejected(string reason, byte[] original, SourceLocation location) => new(null, reason, original, null, 0, location);

    /// <summary>A parsed record whose original is rendered only if it is asked for (a rejected record's is).</summary>
    internal static ExtractedRecord Parsed(FlightRecord flight, IOriginalRenderer renderer, int row, SourceLocation location) => new(flight, null, null, renderer, row, location);

    /// <inheritdoc cref="Parsed(FlightRecord, IOriginalRenderer, int, SourceLocation)"/>
    internal static ExtractedRecord Rejected(string reason, IOriginalRenderer renderer, int row, SourceLocation location) => new(null, reason, null, renderer, row, location);

    /// <summary>The same record, rejected after parsing (by validation).</summary>
    public ExtractedRecord Reject(string reason) => new(null, reason, _original, _renderer, _row, Location);
}
