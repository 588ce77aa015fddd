using System.Globalization;
using Aero.Kafka;
using Aero.Warehouse;
using Aero.Warehouse.Views;

namespace Aero.Node.Dashboard;

/// <summary>
/// Reads a <see cref="DashboardSnapshot"/> from the warehouse's views (<see cref="WarehouseViews"/>), each a small
/// result: the totals, the top airlines, the category mix, 24 hours, the most delayed routes, the airports.
/// </summary>
public static class DashboardQueries
{
    /// <summary>How many airlines the delay chart shows, the busiest.</summary>
    public const int Airlines = 12;

    /// <param name="source">What to read in place of a view (by its name), e.g. its query over a span of days; the view itself by default.</param>
    public static async Task<DashboardSnapshot> ReadAsync(
        IWarehouseQuery warehouse, int topRoutes, int routeMinFlights, DashboardSnapshot? previous, CancellationToken cancellationToken, Func<string, string>? source = null)
    {
        source ??= view => view;
        var readAt = DateTime.UtcNow;
        var totals = await warehouse.QueryAsync($"SELECT flights, on_time_share, avg_departure_delay_minutes FROM {source(WarehouseViews.FlightTotals)}", cancellationToken);
        var flights = totals.Rows.Count == 0 ? 0 : Whole(totals.Rows[0][0]);
        var deadLetters = await warehouse.CountAsync(WarehouseTables.DeadLetters, cancellationToken);
        var airlines = await RowsAsync(
            warehouse,
            $"SELECT COALESCE(airline_name, airline, 'unknown'), avg_departure_delay_minutes, flights FROM {source(WarehouseViews.DelaysByAirline)} " +
            $"WHERE avg_departure_delay_minutes IS NOT NULL ORDER BY flights DESC LIMIT {Airlines}",
            cancellationToken);
        var mix = await RowsAsync(warehouse, $"SELECT delay_category, flights, flights FROM {source(WarehouseViews.DelayCategoryMix)} ORDER BY flights DESC", cancellationToken);
        var hours = await RowsAsync(warehouse, $"SELECT event_hour, flights, flights FROM {source(WarehouseViews.DelaysByHour)} ORDER BY event_hour", cancellationToken);
        var routes = await RowsAsync(
            warehouse,
            $"SELECT route, avg_departure_delay_minutes, flights FROM {source(WarehouseViews.DelaysByRoute)} " +
            $"WHERE flights >= {routeMinFlights} AND avg_departure_delay_minutes IS NOT NULL ORDER BY avg_departure_delay_minutes DESC LIMIT {topRoutes}",
            cancellationToken);
        var airports = await warehouse.QueryAsync(
            $"SELECT origin, origin_latitude, origin_longitude, flights, avg_departure_delay_minutes FROM {source(WarehouseViews.DelaysByOrigin)} " +
            "WHERE origin_latitude IS NOT NULL AND origin_longitude IS NOT NULL",
            cancellationToken);

        double? perSecond = previous is null || readAt <= previous.ReadAt ? null : (flights - previous.Headline.Flights) / (readAt - previous.ReadAt).TotalSeconds;
        var lags = KafkaMetrics.ConsumerLags();
        var headline = new Headline(
            flights,
            totals.Rows.Count == 0 ? null : Fraction(totals.Rows[0][1]),
            totals.Rows.Count == 0 ? null : Fraction(totals.Rows[0][2]),
            deadLetters,
            perSecond is null ? null : Math.Max(0, perSecond.Value),
            lags.Count == 0 ? null : lags.Sum(l => l.Lag));
        return new DashboardSnapshot(
            readAt,
            headline,
            [.. airlines.OrderByDescending(r => r.Value)],
            mix,
            hours,
            routes,
            [.. airports.Rows.Select(r => new AirportPoint((string)r[0]!, Fraction(r[1])!.Value, Fraction(r[2])!.Value, Whole(r[3]), Fraction(r[4])))]);
    }

    /// <summary>Rows of label, value and flights.</summary>
    private static async Task<List<ChartRow>> RowsAsync(IWarehouseQuery warehouse, string sql, CancellationToken cancellationToken)
    {
        var result = await warehouse.QueryAsync(sql, cancellationToken);
        return [.. result.Rows.Select(r => new ChartRow(Convert.ToString(r[0], CultureInfo.InvariantCulture) ?? "unknown", Fraction(r[1]) ?? 0, Whole(r[2])))];
    }

    // Backends differ in the CLR type of a number (int, long, decimal, double, text for BigQuery's); the value is what matters.
    private static long Whole(object? value) => value is null ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);

    private static double? Fraction(object? value) => value is null ? null : Convert.ToDouble(value, CultureInfo.InvariantCulture);
}
