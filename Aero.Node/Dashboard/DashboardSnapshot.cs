namespace Aero.Node.Dashboard;

/// <summary>What the dashboard and the report show, read from the warehouse's views at <see cref="ReadAt"/>.</summary>
public sealed record DashboardSnapshot(
    DateTime ReadAt,
    Headline Headline,
    IReadOnlyList<ChartRow> DelayByAirline,
    IReadOnlyList<ChartRow> CategoryMix,
    IReadOnlyList<ChartRow> FlightsByHour,
    IReadOnlyList<ChartRow> DelayedRoutes,
    IReadOnlyList<AirportPoint> Airports)
{
    public bool HasFlights => Headline.Flights > 0;
}
