using Aero.Warehouse;
using Aero.Warehouse.Windows;

namespace Aero.Streams.Windows;

/// <summary>
/// The load's windows (<c>aero.windows</c>): which windows and keys a stored row adds to, and the partials of a batch's
/// stored rows, one per window, dimension, key and partition, handed to the warehouse with the batch.
/// </summary>
public sealed class LoadWindows(WindowSettings settings) : IBatchWindows
{
    public WindowSettings Settings { get; } = settings ?? throw new ArgumentNullException(nameof(settings));

    /// <summary>The name a dimension has in configuration and in the tables' <c>dimension</c> column.</summary>
    public static string DimensionName(WindowDimension dimension) => dimension switch
    {
        WindowDimension.DelayCategory => "delay-category",
        _ => dimension.ToString().ToLowerInvariant(),
    };

    public DateTime? EventTime(LoadRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.Processed is { } flight ? DateTime.UnixEpoch.AddMilliseconds(WindowKeys.EventTime(flight, Settings.EventTime)) : null;
    }

    public IReadOnlyList<WindowPartial> Aggregate(IEnumerable<LoadRow> stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var partials = new Dictionary<(long Start, WindowDimension Dimension, string Key, string Topic, int Partition), Partial>();
        foreach (var row in stored)
        {
            if (row.Processed is not { } flight)
            {
                continue;
            }

            var time = WindowKeys.EventTime(flight, Settings.EventTime);
            var aggregate = WindowAggregate.Of(flight);
            foreach (var window in Settings.Spec.Assign(time))
            {
                foreach (var dimension in Settings.Dimensions)
                {
                    var key = (window.Start, dimension, WindowKeys.Of(flight, dimension), row.Position.Topic, row.Position.Partition);
                    partials[key] = partials.TryGetValue(key, out var known)
                        ? known.Add(aggregate, row.Position.Offset, time)
                        : new Partial(window, aggregate, row.Position.Offset, row.Position.Offset, time);
                }
            }
        }

        return [.. partials.Select(p => p.Value.ToRow(Settings.Spec, DimensionName(p.Key.Dimension), p.Key.Key, p.Key.Topic, p.Key.Partition))];
    }

    private sealed record Partial(EventWindow Window, WindowAggregate Aggregate, long FirstOffset, long LastOffset, long MinEventTime)
    {
        public Partial Add(WindowAggregate aggregate, long offset, long time) => this with
        {
            Aggregate = Aggregate.Merge(aggregate),
            FirstOffset = Math.Min(FirstOffset, offset),
            LastOffset = Math.Max(LastOffset, offset),
            MinEventTime = Math.Min(MinEventTime, time),
        };

        public WindowPartial ToRow(WindowSpec spec, string dimension, string key, string topic, int partition) => new()
        {
            WindowId = Window.Id(spec),
            WindowStart = DateTime.UnixEpoch.AddMilliseconds(Window.Start),
            WindowEnd = DateTime.UnixEpoch.AddMilliseconds(Window.End),
            Dimension = dimension,
            Key = key,
            Topic = topic,
            Partition = partition,
            FirstOffset = FirstOffset,
            LastOffset = LastOffset,
            MinEventTime = DateTime.UnixEpoch.AddMilliseconds(MinEventTime),
            Flights = Aggregate.Count,
            DepartureDelayCount = Aggregate.Departure.Count,
            DepartureDelaySumMs = Aggregate.Departure.SumMilliseconds,
            DepartureDelayMinMs = Aggregate.Departure.MinMilliseconds,
            DepartureDelayMaxMs = Aggregate.Departure.MaxMilliseconds,
            ArrivalDelayCount = Aggregate.Arrival.Count,
            ArrivalDelaySumMs = Aggregate.Arrival.SumMilliseconds,
            ArrivalDelayMinMs = Aggregate.Arrival.MinMilliseconds,
            ArrivalDelayMaxMs = Aggregate.Arrival.MaxMilliseconds,
            OnTime = Aggregate.OnTime,
            Minor = Aggregate.Minor,
            Moderate = Aggregate.Moderate,
            Major = Aggregate.Major,
        };
    }
}
