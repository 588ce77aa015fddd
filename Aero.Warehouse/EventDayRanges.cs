namespace Aero.Warehouse;

/// <summary>
/// The event days of a group of rows as a few ranges of whole days, <c>[from, until)</c>: the lookup of stored
/// events reads only those. Adjacent days make one range; beyond <see cref="MaxRanges"/> the closest ranges are
/// joined, which reads more rows, never fewer, so no stored event is missed.
/// </summary>
public static class EventDayRanges
{
    /// <summary>At most this many ranges: each one is a scan of its own in the lookup.</summary>
    public const int MaxRanges = 16;

    public static List<(DateTime From, DateTime Until)> Merge(IEnumerable<DateTime> days)
    {
        ArgumentNullException.ThrowIfNull(days);
        var ranges = new List<(DateTime From, DateTime Until)>();
        foreach (var day in days.Select(d => d.Date).Distinct().Order())
        {
            if (ranges.Count > 0 && ranges[^1].Until == day)
            {
                ranges[^1] = (ranges[^1].From, day.AddDays(1));
            }
            else
            {
                ranges.Add((day, day.AddDays(1)));
            }
        }

        if (ranges.Count <= MaxRanges)
        {
            return ranges;
        }

        // The MaxRanges - 1 widest gaps stay between ranges; the ranges across every other gap are joined.
        var open = Enumerable.Range(1, ranges.Count - 1)
            .OrderByDescending(i => ranges[i].From - ranges[i - 1].Until)
            .Take(MaxRanges - 1)
            .ToHashSet();
        var merged = new List<(DateTime From, DateTime Until)> { ranges[0] };
        for (var i = 1; i < ranges.Count; i++)
        {
            if (open.Contains(i))
            {
                merged.Add(ranges[i]);
            }
            else
            {
                merged[^1] = (merged[^1].From, ranges[i].Until);
            }
        }

        return merged;
    }
}
