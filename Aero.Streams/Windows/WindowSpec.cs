using Akka.Configuration;

namespace Aero.Streams.Windows;

/// <summary>
/// Tumbling or hopping windows over event time: windows of <see cref="SizeMilliseconds"/> starting every
/// <see cref="SlideMilliseconds"/>, aligned to the epoch shifted by <see cref="OffsetMilliseconds"/>. Tumbling when the
/// slide is the size. Integers only, so every node assigns a record to the same windows.
/// </summary>
public sealed record WindowSpec
{
    private WindowSpec(long size, long slide, long offset) => (SizeMilliseconds, SlideMilliseconds, OffsetMilliseconds) = (size, slide, offset);

    public long SizeMilliseconds { get; }
    public long SlideMilliseconds { get; }
    public long OffsetMilliseconds { get; }

    public bool IsTumbling => SizeMilliseconds == SlideMilliseconds;

    /// <summary>How many windows each record belongs to.</summary>
    public int WindowsPerRecord => (int)(SizeMilliseconds / SlideMilliseconds);

    /// <summary>
    /// Checked: size and slide positive, the slide at most the size and a divisor of it (so every record is in the same
    /// number of windows), |offset| below the slide. <paramref name="section"/> names the keys in an error.
    /// </summary>
    public static WindowSpec Create(TimeSpan size, TimeSpan slide, TimeSpan offset, string section = "aero.windows")
    {
        var (sizeMs, slideMs, offsetMs) = ((long)size.TotalMilliseconds, (long)slide.TotalMilliseconds, (long)offset.TotalMilliseconds);
        if (sizeMs <= 0 || slideMs <= 0)
        {
            throw new ConfigurationException($"{section}.size = {size} and {section}.slide = {slide}: expected positive durations of at least a millisecond.");
        }

        if (slideMs > sizeMs || sizeMs % slideMs != 0)
        {
            throw new ConfigurationException($"{section}.slide = {slide}: expected a divisor of {section}.size = {size} (equal to it for tumbling windows).");
        }

        if (Math.Abs(offsetMs) >= slideMs)
        {
            throw new ConfigurationException($"{section}.offset = {offset}: expected less than {section}.slide = {slide} either way.");
        }

        return new WindowSpec(sizeMs, slideMs, offsetMs);
    }

    public static WindowSpec Tumbling(TimeSpan size) => Create(size, size, TimeSpan.Zero);

    public static WindowSpec Hopping(TimeSpan size, TimeSpan slide) => Create(size, slide, TimeSpan.Zero);

    /// <summary>
    /// The windows holding <paramref name="eventTime"/>, latest start first. The remainder is made non-negative, so
    /// times before the epoch fall in their own window, not the next one (C#'s % keeps the dividend's sign).
    /// </summary>
    public EventWindow[] Assign(long eventTime)
    {
        var remainder = (eventTime - OffsetMilliseconds) % SlideMilliseconds;
        if (remainder < 0)
        {
            remainder += SlideMilliseconds;
        }

        var lastStart = eventTime - remainder;
        var windows = new EventWindow[WindowsPerRecord];
        for (var i = 0; i < windows.Length; i++)
        {
            var start = lastStart - (i * SlideMilliseconds);
            windows[i] = new EventWindow(start, start + SizeMilliseconds);
        }

        return windows;
    }
}
