namespace Aero.Streams.Windows;

/// <summary>
/// One event-time window, <c>[Start, End)</c> in UTC epoch milliseconds: a record at <c>End</c> belongs to the next one.
/// </summary>
public readonly record struct EventWindow(long Start, long End)
{
    public bool Contains(long eventTime) => eventTime >= Start && eventTime < End;

    /// <summary>
    /// The same text on every node, replay and coordinator: the spec's size, slide and offset, then the start
    /// (<c>3600000/600000/0:978307200000</c>).
    /// </summary>
    public string Id(WindowSpec spec) => $"{spec.SizeMilliseconds}/{spec.SlideMilliseconds}/{spec.OffsetMilliseconds}:{Start}";
}
