using System.Globalization;
using Aero.Actors.Jobs;
using Aero.Actors.Tests.Jobs;
using Aero.Node.Configuration;
using Aero.Node.Dashboard;
using Aero.Warehouse;
using Aero.Warehouse.Tests;
using Akka.Event;
using Xunit;

namespace Aero.Node.Tests.Dashboard;

/// <summary>
/// Issue 19 §2 and §5: the dashboard reads the table its summary job keeps (never the flights), says there is no data
/// before the job's first run, and then shows exactly what direct SQL over <c>flights</c> says: headline numbers and
/// every chart, over 220,000 flights (200,000 real ones), on DuckDB and PostgreSQL.
/// </summary>
public sealed class DashboardNumbersSpec
{
    private static readonly Akka.Configuration.Config Config = AeroConfiguration.Load(null, _ => null);

    [Fact]
    public async Task The_dashboard_on_DuckDB_should_show_what_direct_sql_over_flights_says()
    {
        using var store = new DuckDbTestStore();
        await using var warehouse = await store.OpenAsync();
        await CheckAsync(warehouse);
    }

    [Fact]
    public async Task The_dashboard_on_PostgreSQL_should_show_what_direct_sql_over_flights_says()
    {
        await using var store = await PostgresTestStore.CreateAsync();
        await using var warehouse = await store.OpenAsync();
        await CheckAsync(warehouse);
    }

    private static async Task CheckAsync(IWarehouse warehouse)
    {
        var settings = DashboardSettings.Create(Config);
        var runtime = JobsRuntime.Create(Config, warehouse);
        var table = DashboardQueries.SummaryTable(runtime, settings);
        Assert.Equal("job_dashboard_summary", table);
        await JobSpecFlights.LoadAsync(warehouse);
        Assert.False((await new DashboardData(warehouse, settings, table).GetAsync(CancellationToken.None)).HasFlights, "data before the summary job ran");

        // The job as the coordinator runs it.
        await using (var scheduler = new JobScheduler(runtime.Settings, runtime.Engines, runtime.Store, runtime.Clock, "spec", NoLogger.Instance))
        {
            await scheduler.StartAsync(CancellationToken.None);
            var started = await scheduler.RunNowAsync(settings.SummaryJob, null, CancellationToken.None);
            await scheduler.WhenIdleAsync();
            var run = await scheduler.GetAsync(started.RunId, CancellationToken.None);
            Assert.True(run!.State == JobRunState.Succeeded, $"{run.State}: {run.Error}");
        }

        var shown = await new DashboardData(warehouse, settings, table).GetAsync(CancellationToken.None);
        Assert.NotNull(shown.SummarizedAt);

        var totals = (await warehouse.QueryAsync(
            $"SELECT count(*), avg(departure_delay_minutes), count(CASE WHEN delay_category = 'On-Time' THEN 1 END), count(delay_category) FROM {WarehouseTables.Flights}")).Rows.Single();
        Assert.Equal(JobSpecFlights.RealFlights + JobSpecFlights.BtsFlights, Whole(totals[0]));
        Assert.Equal(Whole(totals[0]), shown.Headline.Flights);
        AssertClose(Number(totals[1]), shown.Headline.AverageDelayMinutes, "average delay");
        AssertClose(Whole(totals[2]) / (double)Whole(totals[3]), shown.Headline.OnTimeShare, "on-time share");
        Assert.Equal(await warehouse.CountAsync(WarehouseTables.DeadLetters), shown.Headline.DeadLetters);

        AssertChart("delay by airline", shown.DelayByAirline, await RowsAsync(warehouse,
            "SELECT COALESCE(max(airline_name), airline, 'unknown'), avg(departure_delay_minutes), count(*) FROM flights GROUP BY airline " +
            $"HAVING avg(departure_delay_minutes) IS NOT NULL ORDER BY count(*) DESC, 1 LIMIT {DashboardQueries.Airlines}"));
        AssertChart("category mix", shown.CategoryMix, await RowsAsync(warehouse,
            "SELECT COALESCE(delay_category, 'Unknown'), count(*), count(*) FROM flights GROUP BY COALESCE(delay_category, 'Unknown')"));
        AssertChart("flights by hour", shown.FlightsByHour, await RowsAsync(warehouse, "SELECT event_hour, count(*), count(*) FROM flights GROUP BY event_hour"));
        AssertChart("delayed routes", shown.DelayedRoutes, await RowsAsync(warehouse,
            $"SELECT route, avg(departure_delay_minutes), count(*) FROM flights GROUP BY route HAVING count(*) >= {settings.RouteMinFlights} " +
            $"AND avg(departure_delay_minutes) IS NOT NULL ORDER BY 2 DESC, 1 LIMIT {settings.TopRoutes}"));
        var airports = (await warehouse.QueryAsync(
            "SELECT origin, max(origin_latitude), max(origin_longitude), count(*), avg(departure_delay_minutes) FROM flights WHERE origin IS NOT NULL GROUP BY origin " +
            "HAVING max(origin_latitude) IS NOT NULL AND max(origin_longitude) IS NOT NULL")).Rows;
        Assert.True(airports.Count > 100, $"only {airports.Count} airports");
        Assert.Equal(airports.Select(a => (string)a[0]!).Order(StringComparer.Ordinal), shown.Airports.Select(a => a.Code));
        foreach (var airport in airports)
        {
            var point = shown.Airports.Single(a => a.Code == (string)airport[0]!);
            Assert.Equal(Whole(airport[3]), point.Flights);
            AssertClose(Number(airport[1]), point.Latitude, $"{point.Code} latitude");
            AssertClose(Number(airport[2]), point.Longitude, $"{point.Code} longitude");
            AssertClose(Number(airport[4]), point.AverageDelayMinutes, $"{point.Code} delay");
        }
    }

    /// <summary>The chart's bars are the direct rows (label, value, flights), in any order.</summary>
    private static void AssertChart(string chart, IReadOnlyList<ChartRow> shown, IReadOnlyList<ChartRow> direct)
    {
        Assert.True(direct.Count > 0, $"{chart}: the flights give it no rows");
        Assert.Equal(direct.Select(r => r.Label).Order(StringComparer.Ordinal), shown.Select(r => r.Label).Order(StringComparer.Ordinal));
        foreach (var row in direct)
        {
            var bar = shown.Single(r => r.Label == row.Label);
            Assert.True(row.Flights == bar.Flights, $"{chart} {row.Label}: {row.Flights} flights, the dashboard shows {bar.Flights}");
            AssertClose(row.Value, bar.Value, $"{chart} {row.Label}");
        }
    }

    private static async Task<IReadOnlyList<ChartRow>> RowsAsync(IWarehouseQuery warehouse, string sql) =>
        [.. (await warehouse.QueryAsync(sql)).Rows.Select(r => new ChartRow(Convert.ToString(r[0], CultureInfo.InvariantCulture)!, Number(r[1])!.Value, Whole(r[2])))];

    private static void AssertClose(double? expected, double? actual, string what) =>
        Assert.True(expected is null ? actual is null : actual is not null && Math.Abs(expected.Value - actual.Value) <= 1e-9 * Math.Max(1, Math.Abs(expected.Value)), $"{what}: expected {expected}, the dashboard shows {actual}");

    private static long Whole(object? value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);

    private static double? Number(object? value) => value is null ? null : Convert.ToDouble(value, CultureInfo.InvariantCulture);
}
