using Aero.Flights;
using Aero.Streams.Transform;
using Aero.Streams.Windows;
using FsCheck;
using FsCheck.Xunit;
using Xunit;

namespace Aero.Streams.Tests.Windows;

/// <summary>Issue 17 §2 and §4: partial aggregates merge exactly, in any grouping and any order.</summary>
public sealed class WindowAggregateSpec
{
    private static readonly DelayCategories Categories = new(0, 15, 60);

    [Property(MaxTest = 300)]
    public bool Merging_should_be_associative(int[] a, int[] b, int[] c) =>
        Aggregate(a).Merge(Aggregate(b)).Merge(Aggregate(c)) == Aggregate(a).Merge(Aggregate(b).Merge(Aggregate(c)));

    [Property(MaxTest = 300)]
    public bool Merging_should_be_commutative(int[] a, int[] b) =>
        Aggregate(a).Merge(Aggregate(b)) == Aggregate(b).Merge(Aggregate(a));

    [Property(MaxTest = 300)]
    public bool Empty_should_be_the_identity(int[] a) =>
        Aggregate(a).Merge(WindowAggregate.Empty) == Aggregate(a) && WindowAggregate.Empty.Merge(Aggregate(a)) == Aggregate(a);

    [Property(MaxTest = 300)]
    public bool Partials_of_any_split_should_merge_to_the_aggregate_of_the_whole(int[] delays, NonNegativeInt cut)
    {
        var at = delays.Length == 0 ? 0 : cut.Get % (delays.Length + 1);
        return Aggregate(delays[..at]).Merge(Aggregate(delays[at..])) == Aggregate(delays);
    }

    [Fact]
    public void Averages_shares_and_extremes_should_come_from_the_merged_whole()
    {
        var whole = Aggregate([-10, 5, 30, 120]).Merge(Aggregate([300]));

        Assert.Equal(5, whole.Count);
        Assert.Equal((1L, 2L, 1L, 1L), (whole.OnTime, whole.Minor, whole.Moderate, whole.Major));
        Assert.Equal(0.2, whole.OnTimeShare);
        // Departure delays are a quarter of the generator's numbers (below), so fractions of a minute count exactly.
        Assert.Equal((-10 + 5 + 30 + 120 + 300) / 4.0 / 5, whole.AverageDepartureDelayMinutes!.Value, precision: 12);
        Assert.Equal((-150_000L, 4_500_000L), (whole.Departure.MinMilliseconds, whole.Departure.MaxMilliseconds));
        Assert.Null(WindowAggregate.Empty.OnTimeShare);
        Assert.Null(WindowAggregate.Empty.AverageArrivalDelayMinutes);
    }

    /// <summary>
    /// One flight per number: departure delay a quarter of it in minutes (none for multiples of 7), arrival delay the
    /// number less 3 (none for multiples of 5).
    /// </summary>
    private static WindowAggregate Aggregate(int[] numbers) =>
        numbers.Aggregate(WindowAggregate.Empty, (aggregate, n) => aggregate.Add(Flight(n)));

    private static ProcessedFlight Flight(int n)
    {
        double? departure = n % 7 == 0 ? null : n / 4.0;
        return new ProcessedFlight
        {
            EventId = $"e{n}",
            FlightId = $"f{n}",
            EventTime = DateTime.UnixEpoch,
            DepartureDelayMinutes = departure,
            ArrivalDelayMinutes = n % 5 == 0 ? null : n - 3,
            DelayCategory = departure is { } delay ? Categories.Categorize(delay) : null,
            EventDate = DateOnly.FromDateTime(DateTime.UnixEpoch),
            EventHour = 0,
            EventDayOfWeek = 4,
            Route = "?-?",
            Source = "spec",
            ProcessedAt = DateTime.UnixEpoch,
        };
    }
}
