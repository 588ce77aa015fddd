using Aero.Streams.Flights;

namespace Aero.Streams.Extract;

/// <summary>
/// What every extract source emits, one per input record: the record parsed into a <see cref="FlightRecord"/>, or a
/// rejection with its reason. Either way it carries the original bytes (the line, the JSON element, or the row
/// rendered as JSON for Parquet) and where it came from, so a rejected record can be dead-lettered whole.
/// </summary>
public sealed record ExtractedRecord
{
    private ExtractedRecord(FlightRecord? flight, string? rejection, byte[] original, SourceLocation location)
    {
        Flight = flight;
        Rejection = rejection;
        Original = original;
        Location = location;
    }

    public FlightRecord? Flight { get; }

    /// <summary>Why the record could not be used; null for a parsed record.</summary>
    public string? Rejection { get; }

    public byte[] Original { get; }

    public SourceLocation Location { get; }

    public bool IsRejected => Rejection is not null;

    public static ExtractedRecord Parsed(FlightRecord flight, byte[] original, SourceLocation location) => new(flight, null, original, location);

    public static ExtractedRecord Rejected(string reason, byte[] original, SourceLocation location) => new(null, reason, original, location);

    /// <summary>The same record, rejected after parsing (by validation).</summary>
    public ExtractedRecord Reject(string reason) => new(null, reason, Original, Location);
}
