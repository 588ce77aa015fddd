namespace Aero.Streams.Extract;

/// <summary>
/// The stable prefixes of <see cref="ExtractedRecord.Rejection"/>, so rejections can be counted per reason:
/// a reason is always one of these, then a space and the detail.
/// </summary>
public static class RejectionReasons
{
    public const string MalformedJson = "malformed-json:";
    public const string MalformedCsv = "malformed-csv:";
    public const string MalformedParquet = "malformed-parquet:";
    public const string MalformedGzip = "malformed-gzip:";
    public const string InvalidUtf8 = "invalid-utf8:";
    public const string WrongType = "wrong-type:";
    public const string MissingField = "missing-field:";
    public const string TooLarge = "too-large:";
    public const string ColumnCount = "column-count:";
    public const string NotANumber = "not-a-number:";
    public const string BadDate = "bad-date:";

    /// <summary>A clock time that is no time of day (hhmm such as 2575).</summary>
    public const string BadTime = "bad-time:";

    /// <summary>An airport the reference data has no time zone for, so its local times cannot be placed.</summary>
    public const string UnknownAirport = "unknown-airport:";

    /// <summary>The prefix of a reason, e.g. "wrong-type:" for "wrong-type: delay is "abc", not a number".</summary>
    public static string PrefixOf(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        var colon = reason.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? reason : reason[..(colon + 1)];
    }

    /// <summary>The kind of a reason, its prefix without the colon: what rejections are counted by.</summary>
    public static string KindOf(string reason) => PrefixOf(reason).TrimEnd(':');
}
