namespace Aero.Warehouse.Windows;

/// <summary>
/// What one batch's stored rows of one partition add to one window and key: integer counts, sums, minima and maxima
/// (delays in milliseconds), so that partials merge exactly in SQL. <see cref="FirstOffset"/>..<see cref="LastOffset"/>
/// are the Kafka offsets of the rows it holds; <see cref="MinEventTime"/> tells how late the earliest of them is, should
/// the window be final already.
/// </summary>
public sealed record WindowPartial
{
    public required string WindowId { get; init; }
    public required DateTime WindowStart { get; init; }
    public required DateTime WindowEnd { get; init; }
    public required string Dimension { get; init; }
    public required string Key { get; init; }
    public required string Topic { get; init; }
    public required int Partition { get; init; }
    public required long FirstOffset { get; init; }
    public required long LastOffset { get; init; }
    public required DateTime MinEventTime { get; init; }
    public required long Flights { get; init; }
    public required long DepartureDelayCount { get; init; }
    public required long DepartureDelaySumMs { get; init; }
    public required long? DepartureDelayMinMs { get; init; }
    public required long? DepartureDelayMaxMs { get; init; }
    public required long ArrivalDelayCount { get; init; }
    public required long ArrivalDelaySumMs { get; init; }
    public required long? ArrivalDelayMinMs { get; init; }
    public required long? ArrivalDelayMaxMs { get; init; }
    public required long OnTime { get; init; }
    public required long Minor { get; init; }
    public required long Moderate { get; init; }
    public required long Major { get; init; }
}
