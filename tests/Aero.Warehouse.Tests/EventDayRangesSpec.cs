using Xunit;

namespace Aero.Warehouse.Tests;

// issue 16 §1: the lookup of stored events reads only these ranges, so they must cover every event day.
public sealed class EventDayRangesSpec
{
    private static readonly DateTime Day0 = new(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Adjacent_days_should_make_one_range_and_a_gap_another()
    {
        var ranges = EventDayRanges.Merge([Day0.AddHours(20), Day0.AddDays(1).AddHours(3), Day0, Day0.AddDays(5)]);

        Assert.Equal([(Day0, Day0.AddDays(2)), (Day0.AddDays(5), Day0.AddDays(6))], ranges);
    }

    [Fact]
    public void Many_scattered_days_should_make_at_most_the_limit_of_ranges_covering_every_day()
    {
        var days = Enumerable.Range(0, 200).Select(i => Day0.AddDays(i * i % 997).AddHours(i % 24)).ToList();

        var ranges = EventDayRanges.Merge(days);

        Assert.Equal(EventDayRanges.MaxRanges, ranges.Count);
        Assert.All(days, day => Assert.Contains(ranges, r => r.From <= day && day < r.Until));
        Assert.All(ranges.Zip(ranges.Skip(1)), pair => Assert.True(pair.First.Until < pair.Second.From));
    }
}
