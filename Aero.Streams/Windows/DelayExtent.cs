namespace Aero.Streams.Windows;

/// <summary>Count, sum, minimum and maximum of one delay, in milliseconds; records without it do not count.</summary>
public readonly record struct DelayExtent(long Count, long SumMilliseconds, long? MinMilliseconds, long? MaxMilliseconds)
{
    public static DelayExtent Empty => default;

    public double? AverageMinutes => Count == 0 ? null : SumMilliseconds / (double)Count / 60_000;

    public static DelayExtent Of(double? minutes)
    {
        if (minutes is not { } value)
        {
            return Empty;
        }

        var milliseconds = (long)Math.Round(value * 60_000);
        return new DelayExtent(1, milliseconds, milliseconds, milliseconds);
    }

    public DelayExtent Merge(DelayExtent other) => new(
        Count + other.Count,
        SumMilliseconds + other.SumMilliseconds,
        MinMilliseconds is { } a && other.MinMilliseconds is { } b ? Math.Min(a, b) : MinMilliseconds ?? other.MinMilliseconds,
        MaxMilliseconds is { } c && other.MaxMilliseconds is { } d ? Math.Max(c, d) : MaxMilliseconds ?? other.MaxMilliseconds);
}
