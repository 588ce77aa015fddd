namespace Aero.Node.Dashboard;

/// <summary>What the dashboard and the report show, read from the dashboard's summary at <see cref="ReadAt"/>.</summary>
public sealed record DashboardSnapshot(
    DateTime ReadAt,
    Headline Headline,
    IReadOnlyList<ChartRow> DelayByAirline,
    IReadOnlyList<ChartRow> CategoryMix,
    IReadOnlyList<ChartRow> FlightsByHour,
    IReadOnlyList<ChartRow> DelayedRoutes,
    IReadOnlyList<AirportPoint> Airports,
    DateTime? SummarizedAt = null)
{
    /// <summary>Nothing to show: no warehouse, or no summary yet.</summary>
    public static DashboardSnapshot Empty { get; } = new(DateTime.MinValue, new Headline(0, null, null, 0, null, null), [], [], [], [], []);

    public bool HasFlights => Headline.Flights > 0;
}
