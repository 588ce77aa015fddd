using System.Globalization;
using Akka.Configuration;
using Cronos;

namespace Aero.Actors.Jobs;

/// <summary>
/// When a job is due, in UTC: a cron expression (five fields, or six with seconds first) or <c>every DURATION</c>
/// (multiples of the duration since the Unix epoch). Each due time is one run of the job.
/// </summary>
public sealed class JobSchedule
{
    private const string EveryPrefix = "every ";
    private readonly CronExpression? _cron;
    private readonly TimeSpan _every;

    private JobSchedule(string text, CronExpression? cron, TimeSpan every) => (Text, _cron, _every) = (text, cron, every);

    public string Text { get; }

    /// <summary>Parses <paramref name="text"/>; a bad one is refused naming <paramref name="key"/>.</summary>
    public static JobSchedule Parse(string text, string key)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith(EveryPrefix, StringComparison.OrdinalIgnoreCase))
        {
            TimeSpan every;
            try
            {
                every = ConfigurationFactory.ParseString($"d = {trimmed[EveryPrefix.Length..].Trim()}").GetTimeSpan("d");
            }
            catch (Exception error)
            {
                throw new ConfigurationException($"{key} = \"{text}\" is not valid: expected every DURATION (e.g. every 1h): {error.Message}", error);
            }

            return every >= TimeSpan.FromSeconds(1)
                ? new JobSchedule(trimmed, null, every)
                : throw new ConfigurationException($"{key} = \"{text}\" is not valid: the interval must be at least 1s.");
        }

        var fields = trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        try
        {
            var format = fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
            return new JobSchedule(trimmed, CronExpression.Parse(trimmed, format), TimeSpan.Zero);
        }
        catch (CronFormatException error)
        {
            throw new ConfigurationException($"{key} = \"{text}\" is not valid: expected a cron expression (5 or 6 fields) or every DURATION: {error.Message}", error);
        }
    }

    /// <summary>The due times after <paramref name="after"/> up to and including <paramref name="until"/>, oldest first.</summary>
    public IEnumerable<DateTimeOffset> Between(DateTimeOffset after, DateTimeOffset until)
    {
        if (_cron is not null)
        {
            return _cron.GetOccurrences(after, until, TimeZoneInfo.Utc, fromInclusive: false, toInclusive: true);
        }

        var ticks = _every.Ticks;
        var first = (after.UtcTicks / ticks + 1) * ticks;
        return Enumerable.Range(0, int.MaxValue)
            .Select(i => first + (i * ticks))
            .TakeWhile(t => t <= until.UtcTicks)
            .Select(t => new DateTimeOffset(t, TimeSpan.Zero));
    }

    /// <summary>The latest due time at or before <paramref name="time"/>, or null when there is none within 400 days.</summary>
    public DateTimeOffset? LatestAtOrBefore(DateTimeOffset time)
    {
        if (_cron is null)
        {
            return new DateTimeOffset(time.UtcTicks / _every.Ticks * _every.Ticks, TimeSpan.Zero);
        }

        // Cron has no "previous": look back over ever wider spans.
        for (var span = TimeSpan.FromMinutes(1); span <= TimeSpan.FromDays(800); span *= 2)
        {
            var latest = _cron.GetOccurrences(time - span, time, TimeZoneInfo.Utc, fromInclusive: true, toInclusive: true).Cast<DateTimeOffset?>().LastOrDefault();
            if (latest is not null)
            {
                return latest;
            }
        }

        return null;
    }

    public override string ToString() => Text.ToString(CultureInfo.InvariantCulture);
}
