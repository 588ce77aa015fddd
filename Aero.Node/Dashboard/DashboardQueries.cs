using System.Globalization;
using Aero.Actors.Jobs;
using Aero.Kafka;
using Aero.Warehouse;
using Aero.Warehouse.Views;

namespace Aero.Node.Dashboard;

/// <summary>
/// Reads a <see cref="DashboardSnapshot"/> from rows shaped as the view <see cref="WarehouseViews.DashboardSummary"/>:
/// the summary job's table (<see cref="SummaryTable"/>, what the dashboard reads), the view itself, or the view's query
/// over a span of days (the report). One query of a few thousand rows at most, whatever the number of flights.
/// </summary>
public static class DashboardQueries
{
    /// <summary>How many airlines the delay chart shows, the busiest.</summary>
    public const int Airlines = 12;

    /// <summary>Where the dashboard reads: the output table of the job <c>aero.dashboard.summary-job</c>.</summary>
    public static string SummaryTable(JobsRuntime jobs, DashboardSettings settings) =>
        jobs.Settings.Jobs.FirstOrDefault(j => j.Name == settings.SummaryJob)?.Output
            ?? throw new Akka.Configuration.ConfigurationException($"aero.dashboard.summary-job = {settings.SummaryJob}: no such job in aero.jobs.definitions.");

    /// <summary>The rows of the summary job's <paramref name="table"/>, as a FROM item.</summary>
    public static string FromTable(string table) => $"(SELECT * FROM {table} WHERE period = '{JobPeriod.AllKey}') AS s";

    /// <param name="summary">A FROM item of rows shaped as the view <see cref="WarehouseViews.DashboardSummary"/>.</param>
    public static async Task<DashboardSnapshot> ReadAsync(
        IWarehouseQuery warehouse, string summary, int topRoutes, int routeMinFlights, DashboardSnapshot? previous, CancellationToken cancellationToken)
    {
        var readAt = DateTime.UtcNow;
        var result = await warehouse.QueryAsync(
            "SELECT dimension, airline, airline_name, delay_category, event_hour, route, origin, origin_latitude, origin_longitude, " +
            $"flights, avg_departure_delay_minutes, on_time_share, summarized_at FROM {summary} WHERE dimension <> 'route' OR flights >= {routeMinFlights}",
            cancellationToken);
        var rows = result.Rows.ToLookup(r => (string)r[0]!, StringComparer.Ordinal);
        var deadLetters = await warehouse.CountAsync(WarehouseTables.DeadLetters, cancellationToken);
        var totals = rows["all"].FirstOrDefault();
        var flights = totals is null ? 0 : Whole(totals[9]);

        List<ChartRow> Chart(string dimension, Func<object?[], object?> label, Func<object?[], double?> value, bool known = false) =>
            [.. rows[dimension].Where(r => !known || value(r) is not null).Select(r => new ChartRow(Text(label(r)), value(r) ?? 0, Whole(r[9])))];
        var airlines = Chart("airline", r => r[2] ?? r[1], r => Fraction(r[10]), known: true)
            .OrderByDescending(r => r.Flights).ThenBy(r => r.Label, StringComparer.Ordinal).Take(Airlines).OrderByDescending(r => r.Value).ToList();
        var mix = Chart("delay_category", r => r[3], r => Whole(r[9])).OrderByDescending(r => r.Flights).ThenBy(r => r.Label, StringComparer.Ordinal).ToList();
        var hours = Chart("event_hour", r => r[4], r => Whole(r[9])).OrderBy(r => int.TryParse(r.Label, CultureInfo.InvariantCulture, out var hour) ? hour : int.MaxValue).ToList();
        var routes = Chart("route", r => r[5], r => Fraction(r[10]), known: true).OrderByDescending(r => r.Value).ThenBy(r => r.Label, StringComparer.Ordinal).Take(topRoutes).ToList();
        var airports = rows["origin"].Where(r => r[6] is not null && r[7] is not null && r[8] is not null)
            .Select(r => new AirportPoint((string)r[6]!, Fraction(r[7])!.Value, Fraction(r[8])!.Value, Whole(r[9]), Fraction(r[10])))
            .OrderBy(a => a.Code, StringComparer.Ordinal).ToList();

        // Between two summaries (the job's runs; two reads of the view): a summary unchanged keeps the rate it gave.
        var summarizedAt = totals is null ? null : Time(totals[12]);
        var perSecond = previous?.SummarizedAt is { } before && summarizedAt is { } now
            ? now > before ? (flights - previous.Headline.Flights) / (now - before).TotalSeconds : previous.Headline.RecordsPerSecond
            : null;
        var lags = KafkaMetrics.ConsumerLags();
        var headline = new Headline(
            flights,
            totals is null ? null : Fraction(totals[11]),
            totals is null ? null : Fraction(totals[10]),
            deadLetters,
            perSecond is null ? null : Math.Max(0, perSecond.Value),
            lags.Count == 0 ? null : lags.Sum(l => l.Lag));
        return new DashboardSnapshot(readAt, headline, airlines, mix, hours, routes, airports, summarizedAt);
    }

    // DuckDB and PostgreSQL give a time (with or without its offset), BigQuery's REST API Unix seconds as text.
    private static DateTime? Time(object? value) => value switch
    {
        DateTime time => time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc),
        DateTimeOffset time => time.UtcDateTime,
        string seconds when double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var unix) => DateTime.UnixEpoch.AddSeconds(unix),
        string text => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        _ => null,
    };

    private static string Text(object? value) => value is null ? "unknown" : Convert.ToString(value, CultureInfo.InvariantCulture)!;

    // Backends differ in the CLR type of a number (int, long, decimal, double, text for BigQuery's); the value is what matters.
    private static long Whole(object? value) => value is null ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);

    private static double? Fraction(object? value) => value is null ? null : Convert.ToDouble(value, CultureInfo.InvariantCulture);
}
