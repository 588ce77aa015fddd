using Aero.Flights;
using Aero.Streams.Transform;

namespace Aero.Streams.Windows;

/// <summary>
/// A window's partial aggregate: counts, sums, minima and maxima, all integers (delays in milliseconds), so that
/// merging partials is exact, associative and commutative in any order; averages and the on-time share are derived
/// only from the merged whole. <see cref="Empty"/> is the identity of <see cref="Merge"/>.
/// </summary>
public sealed record WindowAggregate
{
    public static WindowAggregate Empty { get; } = new();

    public long Count { get; init; }
    public DelayExtent Departure { get; init; } = DelayExtent.Empty;
    public DelayExtent Arrival { get; init; } = DelayExtent.Empty;
    public long OnTime { get; init; }
    public long Minor { get; init; }
    public long Moderate { get; init; }
    public long Major { get; init; }

    /// <summary>Records with a delay category (those with a departure delay): what the on-time share is a share of.</summary>
    public long Categorized => OnTime + Minor + Moderate + Major;

    public double? AverageDepartureDelayMinutes => Departure.AverageMinutes;

    public double? AverageArrivalDelayMinutes => Arrival.AverageMinutes;

    public double? OnTimeShare => Categorized == 0 ? null : (double)OnTime / Categorized;

    /// <summary>The aggregate of one record.</summary>
    public static WindowAggregate Of(ProcessedFlight flight)
    {
        ArgumentNullException.ThrowIfNull(flight);
        return new WindowAggregate
        {
            Count = 1,
            Departure = DelayExtent.Of(flight.DepartureDelayMinutes),
            Arrival = DelayExtent.Of(flight.ArrivalDelayMinutes),
            OnTime = flight.DelayCategory == DelayCategories.OnTime ? 1 : 0,
            Minor = flight.DelayCategory == DelayCategories.Minor ? 1 : 0,
            Moderate = flight.DelayCategory == DelayCategories.Moderate ? 1 : 0,
            Major = flight.DelayCategory == DelayCategories.Major ? 1 : 0,
        };
    }

    public WindowAggregate Merge(WindowAggregate other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new WindowAggregate
        {
            Count = Count + other.Count,
            Departure = Departure.Merge(other.Departure),
            Arrival = Arrival.Merge(other.Arrival),
            OnTime = OnTime + other.OnTime,
            Minor = Minor + other.Minor,
            Moderate = Moderate + other.Moderate,
            Major = Major + other.Major,
        };
    }

    public WindowAggregate Add(ProcessedFlight flight) => Merge(Of(flight));
}
