using System.Globalization;

namespace Aero.Actors.Jobs;

/// <summary>
/// The period of one run: its due time (the run's identity with the job's name) and the event-time interval its SQL
/// covers, <c>[Start, End)</c>, or none for a job over every flight. <see cref="Key"/> keys its rows in the output.
/// </summary>
public sealed record JobPeriod(DateTimeOffset Due, DateTimeOffset? Start, DateTimeOffset? End)
{
    public const string AllKey = "all";

    public string Key => Start is { } start && End is { } end ? $"{Format(start)}/{Format(end)}" : AllKey;

    /// <summary>The run id: the job and its due time, the same on every coordinator.</summary>
    public string RunId(string job) => $"{job}@{Format(Due)}";

    /// <summary>A time as the job tables store it: fixed-width UTC text, so it orders as it compares.</summary>
    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
