namespace Aero.Streams.Extract.Formats;

/// <summary>
/// A local date joined with a local hhmm clock time, in the time zone of the airport that the record's
/// <see cref="Airport"/> field (origin or destination) names. Placed on the day nearest to <see cref="Near"/> (plus the
/// minutes of <see cref="NearMinutes"/>), or on the first day after <see cref="After"/>, when that field has a value.
/// </summary>
internal sealed record LocalTimeRule(
    IReadOnlyList<string> Date,
    IReadOnlyList<string> Time,
    string Airport,
    string? Near,
    IReadOnlyList<string> NearMinutes,
    string? After);
