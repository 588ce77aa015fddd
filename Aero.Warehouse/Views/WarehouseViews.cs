namespace Aero.Warehouse.Views;

/// <summary>
/// The views every backend creates on start over <c>flights</c>, for Looker, the dashboard and <c>aero report</c>:
/// delays by airline, airport, route, hour and day of week, the delay category mix, on-time performance by day and the
/// totals. Each carries the same delay measures (<see cref="DelayFields"/>), so one row's numbers mean the same
/// everywhere; counts and totals add up across rows, averages and shares are the row's own.
/// </summary>
public static class WarehouseViews
{
    public const string DelaysByAirline = "delays_by_airline";
    public const string DelaysByOrigin = "delays_by_origin";
    public const string DelaysByDestination = "delays_by_destination";
    public const string DelaysByRoute = "delays_by_route";
    public const string DelaysByHour = "delays_by_hour";
    public const string DelaysByDayOfWeek = "delays_by_day_of_week";
    public const string DelayCategoryMix = "delay_category_mix";
    public const string OnTimePerformance = "on_time_performance";
    public const string FlightTotals = "flight_totals";
    public const string DashboardSummary = "dashboard_summary";
    public const string WindowStatsOverTime = "window_stats_over_time";
    public const string JobRunsSummary = "job_runs_summary";

    /// <summary>The delay category that counts as on time (<c>aero.transform.delay-categories</c>' first).</summary>
    public const string OnTimeCategory = "On-Time";

    // A flight is on time when its category says so; the share is of the flights whose delay is known. Counts, not sums
    // of ones: count is a 64-bit integer everywhere, where DuckDB's sum of integers is a 128-bit one.
    private const string DelayMeasures = $$"""
        count(*) AS flights,
          count(delay_category) AS flights_with_delay,
          count(CASE WHEN delay_category = '{{OnTimeCategory}}' THEN 1 END) AS on_time_flights,
          sum(departure_delay_minutes) AS departure_delay_minutes_total,
          avg(departure_delay_minutes) AS avg_departure_delay_minutes,
          avg(arrival_delay_minutes) AS avg_arrival_delay_minutes,
          max(departure_delay_minutes) AS max_departure_delay_minutes,
          CAST(count(CASE WHEN delay_category = '{{OnTimeCategory}}' THEN 1 END) AS {double}) / NULLIF(count(delay_category), 0) AS on_time_share
        """;

    /// <summary>The measures every view but the category mix carries, in its order.</summary>
    public static IReadOnlyList<ViewField> DelayFields { get; } =
    [
        new("flights", ViewFieldKind.Additive, ViewFieldType.Number, "Flights"),
        new("flights_with_delay", ViewFieldKind.Additive, ViewFieldType.Number, "Flights whose departure delay is known"),
        new("on_time_flights", ViewFieldKind.Additive, ViewFieldType.Number, "Flights in the On-Time delay category"),
        new("departure_delay_minutes_total", ViewFieldKind.Additive, ViewFieldType.Number, "Sum of departure delays, minutes (early departures count negative)"),
        new("avg_departure_delay_minutes", ViewFieldKind.Dimension, ViewFieldType.Number, "Average departure delay, minutes"),
        new("avg_arrival_delay_minutes", ViewFieldKind.Dimension, ViewFieldType.Number, "Average arrival delay, minutes"),
        new("max_departure_delay_minutes", ViewFieldKind.Dimension, ViewFieldType.Number, "Largest departure delay, minutes"),
        new("on_time_share", ViewFieldKind.Dimension, ViewFieldType.Number, "Share of the flights with a known delay that were on time, 0 to 1"),
    ];

    /// <summary>
    /// The dashboard's numbers in one small result, one scan of the flights (grouping sets): the totals (dimension
    /// <c>all</c>) and the delay measures per airline, delay category, hour of day, route and airport of departure.
    /// The job <c>dashboard-summary</c> keeps a copy in its table, which the dashboard reads; <c>aero report</c> runs it
    /// over the flights of its span of days.
    /// </summary>
    public static WarehouseView Summary { get; } = new(
        DashboardSummary,
        "The dashboard's numbers: the totals (dimension all), and the delay measures per airline, delay category, hour of day, route and airport of departure",
        [
            new("dimension", ViewFieldKind.Dimension, ViewFieldType.Text, "What the row is grouped by: all, airline, delay_category, event_hour, route or origin"),
            new("airline", ViewFieldKind.Dimension, ViewFieldType.Text, "Airline code (dimension airline)"),
            new("airline_name", ViewFieldKind.Dimension, ViewFieldType.Text, "Airline name (dimension airline)"),
            new("delay_category", ViewFieldKind.Dimension, ViewFieldType.Text, "Delay category, Unknown when no delay is known (dimension delay_category)"),
            new("event_hour", ViewFieldKind.Dimension, ViewFieldType.Number, "Hour of day of the event time, UTC (dimension event_hour)"),
            new("route", ViewFieldKind.Dimension, ViewFieldType.Text, "Route, ORIGIN-DESTINATION (dimension route)"),
            new("origin", ViewFieldKind.Dimension, ViewFieldType.Text, "Airport of departure (dimension origin)"),
            new("origin_latitude", ViewFieldKind.Dimension, ViewFieldType.Number, "Latitude of the airport of departure, degrees (dimension origin)"),
            new("origin_longitude", ViewFieldKind.Dimension, ViewFieldType.Number, "Longitude of the airport of departure, degrees (dimension origin)"),
            .. DelayFields,
            new("summarized_at", ViewFieldKind.Dimension, ViewFieldType.Timestamp, "When these numbers were computed: the job's run, or the query's time for the view"),
        ],
        $$"""
        SELECT CASE WHEN GROUPING(airline) = 0 THEN 'airline' WHEN GROUPING(category) = 0 THEN 'delay_category'
            WHEN GROUPING(event_hour) = 0 THEN 'event_hour' WHEN GROUPING(route) = 0 THEN 'route' WHEN GROUPING(origin) = 0 THEN 'origin'
            ELSE 'all' END AS dimension,
          airline, CASE WHEN GROUPING(airline) = 0 THEN max(airline_name) END AS airline_name,
          category AS delay_category, event_hour, route, origin,
          CASE WHEN GROUPING(origin) = 0 THEN max(origin_latitude) END AS origin_latitude,
          CASE WHEN GROUPING(origin) = 0 THEN max(origin_longitude) END AS origin_longitude,
          {{DelayMeasures}},
          max(CURRENT_TIMESTAMP) AS summarized_at
        FROM (SELECT *, COALESCE(delay_category, 'Unknown') AS category FROM {flights}) f
        GROUP BY GROUPING SETS ((), (airline), (category), (event_hour), (route), (origin))
        """);

    public static IReadOnlyList<WarehouseView> All { get; } =
    [
        Grouped(DelaysByAirline, "Departure and arrival delays per airline", "airline", [Text("airline", "Airline code"), Text("airline_name", "Airline name", "max(airline_name)")]),
        Airport(DelaysByOrigin, "origin", "Delays per airport of departure"),
        Airport(DelaysByDestination, "destination", "Delays per airport of arrival"),
        Grouped(
            DelaysByRoute,
            "Delays per route (origin-destination)",
            "route",
            [Text("route", "Route, ORIGIN-DESTINATION"), Text("origin", "Airport of departure", "max(origin)"), Text("destination", "Airport of arrival", "max(destination)")],
            [Number("avg_distance_miles", "Average distance, miles", "avg(distance_miles)")]),
        Grouped(DelaysByHour, "Delays per hour of day of the event time, UTC", "event_hour", [Number("event_hour", "Hour of day, 0-23, UTC")]),
        Grouped(DelaysByDayOfWeek, "Delays per ISO day of week of the event time, UTC", "event_day_of_week", [Number("event_day_of_week", "ISO day of week, 1 = Monday to 7 = Sunday, UTC")]),
        new(
            DelayCategoryMix,
            "Flights per delay category (Unknown: no delay known), with each category's share of all flights",
            [
                new("delay_category", ViewFieldKind.Dimension, ViewFieldType.Text, "Delay category"),
                new("flights", ViewFieldKind.Additive, ViewFieldType.Number, "Flights"),
                new("share", ViewFieldKind.Dimension, ViewFieldType.Number, "Share of all flights, 0 to 1"),
            ],
            """
            SELECT COALESCE(delay_category, 'Unknown') AS delay_category,
              count(*) AS flights,
              CAST(count(*) AS {double}) / sum(count(*)) OVER () AS share
            FROM {flights}
            GROUP BY COALESCE(delay_category, 'Unknown')
            """),
        Grouped(
            OnTimePerformance,
            "On-time performance and delays per day of the event time, UTC",
            "event_date",
            [(new ViewField("event_date", ViewFieldKind.Dimension, ViewFieldType.Date, "Day of the event time, UTC"), "event_date")]),
        new(
            FlightTotals,
            "All flights at once: the headline numbers, and the span of their event times",
            [
                .. DelayFields,
                new("first_event_time", ViewFieldKind.Dimension, ViewFieldType.Timestamp, "Earliest event time"),
                new("last_event_time", ViewFieldKind.Dimension, ViewFieldType.Timestamp, "Latest event time"),
            ],
            $$"""
            SELECT {{DelayMeasures}},
              min(event_time) AS first_event_time,
              max(event_time) AS last_event_time
            FROM {flights}
            """),
        Summary,
    ];

    /// <summary>
    /// The view over the windows' tables, which DuckDB and PostgreSQL keep: the finalized windows over time (their
    /// <c>all</c> dimension, which counts every record once) with the records that came late to each.
    /// </summary>
    public static WarehouseView WindowStats { get; } = new(
        WindowStatsOverTime,
        "Each finalized event-time window: its flights, delays and on-time share, and the flights that came after it was final",
        [
            new("window_id", ViewFieldKind.Dimension, ViewFieldType.Text, "Window id"),
            new("window_start", ViewFieldKind.Dimension, ViewFieldType.Timestamp, "Start of the window's event time"),
            new("window_end", ViewFieldKind.Dimension, ViewFieldType.Timestamp, "End of the window's event time (exclusive)"),
            new("flights", ViewFieldKind.Additive, ViewFieldType.Number, "Flights in the window"),
            new("flights_with_delay", ViewFieldKind.Additive, ViewFieldType.Number, "Flights whose departure delay is known"),
            new("on_time_flights", ViewFieldKind.Additive, ViewFieldType.Number, "Flights in the On-Time delay category"),
            new("avg_departure_delay_minutes", ViewFieldKind.Dimension, ViewFieldType.Number, "Average departure delay, minutes"),
            new("avg_arrival_delay_minutes", ViewFieldKind.Dimension, ViewFieldType.Number, "Average arrival delay, minutes"),
            new("on_time_share", ViewFieldKind.Dimension, ViewFieldType.Number, "Share of the flights with a delay category that were on time, 0 to 1"),
            new("late_flights", ViewFieldKind.Additive, ViewFieldType.Number, "Flights that came after the window was final"),
            new("finalized_at", ViewFieldKind.Dimension, ViewFieldType.Timestamp, "When the window was finalized"),
        ],
        """
        SELECT s.window_id, s.window_start, s.window_end, s.flights, s.departure_delay_count AS flights_with_delay,
          s.on_time AS on_time_flights, s.avg_departure_delay_minutes, s.avg_arrival_delay_minutes, s.on_time_share,
          CAST(coalesce((SELECT sum(l.flights) FROM {tables}flight_window_late l WHERE l.window_id = s.window_id AND l.dimension = s.dimension), 0) AS BIGINT) AS late_flights,
          s.finalized_at
        FROM {tables}flight_window_stats s
        WHERE s.dimension = 'all'
        """);

    /// <summary>The view over the jobs' run history <c>_aero_jobs</c>, which every backend keeps: each job's runs.</summary>
    public static WarehouseView JobRuns { get; } = new(
        JobRunsSummary,
        "Each job's runs: how many ended how, the rows they wrote, its latest due time and latest success",
        [
            new("job", ViewFieldKind.Dimension, ViewFieldType.Text, "Job name"),
            new("runs", ViewFieldKind.Additive, ViewFieldType.Number, "Runs recorded"),
            new("succeeded_runs", ViewFieldKind.Additive, ViewFieldType.Number, "Runs that succeeded"),
            new("failed_runs", ViewFieldKind.Additive, ViewFieldType.Number, "Runs that failed every attempt"),
            new("cancelled_runs", ViewFieldKind.Additive, ViewFieldType.Number, "Runs an operator cancelled"),
            new("open_runs", ViewFieldKind.Additive, ViewFieldType.Number, "Runs running or waiting for a retry"),
            new("rows_written", ViewFieldKind.Additive, ViewFieldType.Number, "Rows the successful runs wrote"),
            new("last_due", ViewFieldKind.Dimension, ViewFieldType.Text, "Latest due time of a run, UTC text"),
            new("last_succeeded_at", ViewFieldKind.Dimension, ViewFieldType.Text, "When the latest successful run ended, UTC text"),
        ],
        """
        SELECT job, count(*) AS runs,
          count(CASE WHEN state = 'succeeded' THEN 1 END) AS succeeded_runs,
          count(CASE WHEN state = 'failed' THEN 1 END) AS failed_runs,
          count(CASE WHEN state = 'cancelled' THEN 1 END) AS cancelled_runs,
          count(CASE WHEN state IN ('running', 'retrying') THEN 1 END) AS open_runs,
          CAST(coalesce(sum(CASE WHEN state = 'succeeded' THEN rows_written END), 0) AS BIGINT) AS rows_written,
          max(due) AS last_due,
          max(CASE WHEN state = 'succeeded' THEN ended_at END) AS last_succeeded_at
        FROM {tables}_aero_jobs
        GROUP BY job
        """);

    /// <summary>The views of a warehouse that keeps the windows too (DuckDB, PostgreSQL).</summary>
    public static IReadOnlyList<WarehouseView> WithWindows { get; } = [.. All, WindowStats, JobRuns];

    public static WarehouseView Get(string name) => WithWindows.Single(v => v.Name == name);

    private static WarehouseView Airport(string name, string side, string description) => Grouped(
        name,
        description,
        side,
        [
            Text(side, "Airport code (IATA)"),
            Text($"{side}_name", "Airport name", $"max({side}_name)"),
            Text($"{side}_city", "City", $"max({side}_city)"),
            Text($"{side}_state", "State", $"max({side}_state)"),
            Number($"{side}_latitude", "Latitude, degrees", $"max({side}_latitude)"),
            Number($"{side}_longitude", "Longitude, degrees", $"max({side}_longitude)"),
        ]);

    /// <summary>A view grouped by <paramref name="key"/>: the columns <paramref name="before"/> (the key first), the delay measures, the columns <paramref name="after"/>.</summary>
    private static WarehouseView Grouped(string name, string description, string key, IReadOnlyList<(ViewField Field, string Sql)> before, IReadOnlyList<(ViewField Field, string Sql)>? after = null)
    {
        after ??= [];
        static string Select((ViewField Field, string Sql) column) => column.Sql == column.Field.Name ? column.Sql : $"{column.Sql} AS {column.Field.Name}";
        var query = $$"""
            SELECT {{string.Join(", ", before.Select(Select))}},
              {{DelayMeasures}}{{string.Concat(after.Select(c => ",\n  " + Select(c)))}}
            FROM {flights}
            GROUP BY {{key}}
            """;
        return new WarehouseView(name, description, [.. before.Select(c => c.Field), .. DelayFields, .. after.Select(c => c.Field)], query);
    }

    private static (ViewField, string) Text(string name, string description, string? sql = null) =>
        (new ViewField(name, ViewFieldKind.Dimension, ViewFieldType.Text, description), sql ?? name);

    private static (ViewField, string) Number(string name, string description, string? sql = null) =>
        (new ViewField(name, ViewFieldKind.Dimension, ViewFieldType.Number, description), sql ?? name);
}
