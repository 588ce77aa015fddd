using Aero.Flights;

namespace Aero.Streams.Windows;

/// <summary>Where a processed flight falls: its event time in epoch milliseconds, and its key per dimension.</summary>
public static class WindowKeys
{
    /// <summary>The key of the dimension <see cref="WindowDimension.All"/>, and of a record lacking the dimension's field.</summary>
    public const string AllKey = "all";
    public const string Missing = "?";

    public static long EventTime(ProcessedFlight flight, WindowEventTime time)
    {
        ArgumentNullException.ThrowIfNull(flight);
        var at = time == WindowEventTime.ScheduledDeparture ? flight.ScheduledDeparture ?? flight.EventTime : flight.EventTime;
        return new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)).ToUnixTimeMilliseconds();
    }

    public static string Of(ProcessedFlight flight, WindowDimension dimension)
    {
        ArgumentNullException.ThrowIfNull(flight);
        return dimension switch
        {
            WindowDimension.All => AllKey,
            WindowDimension.Airline => flight.Airline ?? Missing,
            WindowDimension.Origin => flight.Origin ?? Missing,
            WindowDimension.Destination => flight.Destination ?? Missing,
            WindowDimension.Route => flight.Route,
            WindowDimension.DelayCategory => flight.DelayCategory ?? Missing,
            _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, null),
        };
    }
}
