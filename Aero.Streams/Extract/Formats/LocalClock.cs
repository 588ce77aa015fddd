using System.Globalization;

namespace Aero.Streams.Extract.Formats;

/// <summary>
/// Local dates and hhmm clock times as flight data writes them, turned into UTC with an airport's IANA time zone.
/// A value that cannot be a date or a time throws <see cref="RecordRejectedException"/>: nothing is guessed.
/// </summary>
internal static class LocalClock
{
    // BTS writes yyyy-MM-dd in its prezipped files and M/d/yyyy 12:00:00 AM from its table builder.
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyyMMdd", "yyyy/MM/dd", "M/d/yyyy h:mm:ss tt", "M/d/yyyy"];

    public static DateOnly Date(string text, string field) =>
        DateTime.TryParseExact(text.Trim(), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? DateOnly.FromDateTime(date)
            : throw new RecordRejectedException($"{RejectionReasons.BadDate} {field} date \"{Shorten(text)}\" is not yyyy-MM-dd, yyyyMMdd or M/d/yyyy");

    /// <summary>
    /// Minutes after the day's midnight of an hhmm time (leading zeros optional, a trailing ".0" allowed): 0 to 1440,
    /// 2400 being the midnight that ends the day. Hours past 24 or minutes past 59 are rejected.
    /// </summary>
    public static int Minutes(string text, string field)
    {
        var trimmed = text.Trim();
        var point = trimmed.IndexOf('.', StringComparison.Ordinal);
        if (point >= 0 && trimmed.AsSpan(point + 1).TrimEnd('0').IsEmpty)
        {
            trimmed = trimmed[..point];
        }

        if (trimmed.Length is 0 or > 4 || !int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var hhmm))
        {
            throw new RecordRejectedException($"{RejectionReasons.BadTime} {field} time \"{Shorten(text)}\" is not a local hhmm time");
        }

        var (hours, minutes) = (hhmm / 100, hhmm % 100);
        return minutes < 60 && (hours < 24 || hhmm == 2400)
            ? (hours * 60) + minutes
            : throw new RecordRejectedException($"{RejectionReasons.BadTime} {field} time \"{Shorten(text)}\" is no time of day (hhmm up to 2400)");
    }

    /// <summary>
    /// The UTC instant of a local date and time in <paramref name="zone"/>. A time the spring-forward gap skips is read
    /// with the offset before the change (02:30 on that day is 03:30 daylight time); a time the fall-back repeats is
    /// taken as its first occurrence (daylight time).
    /// </summary>
    public static DateTime ToUtc(DateOnly date, int minutes, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified).AddMinutes(minutes);
        if (zone.IsInvalidTime(local))
        {
            return DateTime.SpecifyKind(local - zone.GetUtcOffset(local.AddHours(-3)), DateTimeKind.Utc);
        }

        if (zone.IsAmbiguousTime(local))
        {
            return DateTime.SpecifyKind(local - zone.GetAmbiguousTimeOffsets(local).Max(), DateTimeKind.Utc);
        }

        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "...";
}
