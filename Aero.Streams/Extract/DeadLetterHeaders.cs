namespace Aero.Streams.Extract;

/// <summary>Header names on <c>flights-dlq</c> records.</summary>
public static class DeadLetterHeaders
{
    public const string Reason = "aero-error-reason";
    public const string Source = "aero-source";
    public const string Path = "aero-source-path";
    public const string Position = "aero-source-position";
    public const string Line = "aero-source-line";
    public const string OriginalBytes = "aero-original-bytes";
    public const string Truncated = "aero-truncated";
}
