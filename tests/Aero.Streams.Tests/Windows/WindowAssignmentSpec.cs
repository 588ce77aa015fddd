using Aero.Streams.Windows;
using FsCheck;
using FsCheck.Xunit;
using Xunit;

namespace Aero.Streams.Tests.Windows;

/// <summary>Issue 17 §2 and §4: window assignment, tumbling and hopping, properties and edges.</summary>
public sealed class WindowAssignmentSpec
{
    [Property(MaxTest = 500)]
    public bool Every_window_assigned_should_hold_the_record_and_no_aligned_window_holding_it_should_be_missed(
        long days, int milliseconds, PositiveInt slideMinutes, PositiveInt windowsPerRecord, int offsetSeed)
    {
        var slide = TimeSpan.FromMinutes((slideMinutes.Get % 90) + 1);
        var spec = WindowSpec.Create(slide * ((windowsPerRecord.Get % 8) + 1), slide, TimeSpan.FromMilliseconds(offsetSeed * 7919L % (long)slide.TotalMilliseconds));
        // Times on both sides of the epoch, not only round ones.
        var eventTime = (days * 86_400_017L) + (milliseconds * 1_009L);

        var windows = spec.Assign(eventTime);

        var aligned = windows.All(w => Modulo(w.Start - spec.OffsetMilliseconds, spec.SlideMilliseconds) == 0 && w.End - w.Start == spec.SizeMilliseconds);
        var latest = windows.Max(w => w.Start);
        var earliest = windows.Min(w => w.Start);
        var none = !new EventWindow(latest + spec.SlideMilliseconds, latest + spec.SlideMilliseconds + spec.SizeMilliseconds).Contains(eventTime)
            && !new EventWindow(earliest - spec.SlideMilliseconds, earliest - spec.SlideMilliseconds + spec.SizeMilliseconds).Contains(eventTime);
        return windows.Length == spec.WindowsPerRecord
            && windows.Distinct().Count() == windows.Length
            && windows.All(w => w.Contains(eventTime))
            && aligned
            && none;
    }

    [Theory]
    [InlineData(0L, 0L)]
    [InlineData(3_599_999L, 0L)]
    [InlineData(3_600_000L, 3_600_000L)]
    [InlineData(-1L, -3_600_000L)]
    [InlineData(-3_600_000L, -3_600_000L)]
    public void A_tumbling_window_should_start_at_its_first_millisecond_and_end_before_the_next_windows_first(long eventTime, long start)
    {
        var window = Assert.Single(WindowSpec.Tumbling(TimeSpan.FromHours(1)).Assign(eventTime));

        Assert.Equal(new EventWindow(start, start + 3_600_000), window);
    }

    [Fact]
    public void The_default_hopping_windows_should_put_a_record_in_six_windows_latest_first()
    {
        var spec = WindowSpec.Hopping(TimeSpan.FromHours(1), TimeSpan.FromMinutes(10));
        var at = new DateTimeOffset(2001, 1, 1, 12, 5, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

        var starts = spec.Assign(at).Select(w => DateTimeOffset.FromUnixTimeMilliseconds(w.Start).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(["12:00", "11:50", "11:40", "11:30", "11:20", "11:10"], starts);
        Assert.Equal("3600000/600000/0:978350400000", spec.Assign(at)[0].Id(spec));
    }

    [Fact]
    public void An_offset_should_shift_the_windows()
    {
        var spec = WindowSpec.Create(TimeSpan.FromHours(1), TimeSpan.FromHours(1), TimeSpan.FromMinutes(15));

        Assert.Equal(new EventWindow(900_000, 4_500_000), Assert.Single(spec.Assign(900_000)));
        Assert.Equal(new EventWindow(-2_700_000, 900_000), Assert.Single(spec.Assign(899_999)));
    }

    [Theory]
    [InlineData(60, 7, 0, "aero.windows.slide")]
    [InlineData(60, 120, 0, "aero.windows.slide")]
    [InlineData(60, 10, 10, "aero.windows.offset")]
    [InlineData(0, 10, 0, "aero.windows.size")]
    public void A_spec_whose_slide_does_not_divide_its_size_or_whose_offset_is_too_large_should_be_refused(int sizeMinutes, int slideMinutes, int offsetMinutes, string key)
    {
        var error = Assert.Throws<Akka.Configuration.ConfigurationException>(() =>
            WindowSpec.Create(TimeSpan.FromMinutes(sizeMinutes), TimeSpan.FromMinutes(slideMinutes), TimeSpan.FromMinutes(offsetMinutes)));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    private static long Modulo(long value, long divisor) => ((value % divisor) + divisor) % divisor;
}
