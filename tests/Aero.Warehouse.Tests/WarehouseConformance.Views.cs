using System.Globalization;
using Aero.Flights;
using Aero.Kafka.Messages;
using Aero.Warehouse.Views;
using Xunit;

namespace Aero.Warehouse.Tests;

/// <summary>
/// Issue 19 §1 and §5: the views created on start return, row for row, what the same aggregates computed over the
/// flights written say, and what direct SQL over <c>flights</c> says.
/// </summary>
public abstract partial class WarehouseConformance
{
    private static readonly string[] Airlines = ["AA", "DL", "UA"];
    private static readonly string[] Airports = ["SFO", "JFK", "ORD", "ATL"];

    // The key each grouped view is grouped by, read from a processed flight as the view's first column prints it.
    private static readonly Dictionary<string, Func<ProcessedFlight, string?>> ViewKeys = new()
    {
        [WarehouseViews.DelaysByAirline] = f => f.Airline,
        [WarehouseViews.DelaysByOrigin] = f => f.Origin,
        [WarehouseViews.DelaysByDestination] = f => f.Destination,
        [WarehouseViews.DelaysByRoute] = f => f.Route,
        [WarehouseViews.DelaysByHour] = f => f.EventHour.ToString(CultureInfo.InvariantCulture),
        [WarehouseViews.DelaysByDayOfWeek] = f => f.EventDayOfWeek.ToString(CultureInfo.InvariantCulture),
        [WarehouseViews.OnTimePerformance] = f => f.EventDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        [WarehouseViews.FlightTotals] = _ => "all",
    };

    [Fact]
    public async Task Views_should_return_the_same_numbers_as_the_flights_they_summarize()
    {
        await using var warehouse = await OpenAsync();
        var flights = ViewFlights();
        var rows = flights.Select((f, i) => ViewRow(f, i)).ToList();
        await warehouse.WriteAsync(Batch(Cluster, rows, next: [(Topic, 0, rows.Count)]));

        foreach (var (name, key) in ViewKeys)
        {
            var view = WarehouseViews.Get(name);
            var result = await warehouse.QueryAsync($"SELECT * FROM {name}");
            Assert.Equal(view.Fields.Select(f => f.Name), result.Columns.Select(c => c.Name));
            var groups = flights.GroupBy(key).ToList();
            Assert.Equal(groups.Count, result.Rows.Count);
            foreach (var group in groups)
            {
                var row = result.Rows.Single(r => name == WarehouseViews.FlightTotals || KeyText(r[0]) == group.Key);
                AssertDelayMeasures(name, group.Key, [.. group], view, row);
            }
        }
    }

    [Fact]
    public async Task The_delay_category_mix_should_count_and_share_every_flight_once()
    {
        await using var warehouse = await OpenAsync();
        var flights = ViewFlights();
        await warehouse.WriteAsync(Batch(Cluster, [.. flights.Select((f, i) => ViewRow(f, i))], next: [(Topic, 0, flights.Count)]));

        var mix = await warehouse.QueryAsync($"SELECT delay_category, flights, share FROM {WarehouseViews.DelayCategoryMix}");

        var expected = flights.GroupBy(f => f.DelayCategory ?? "Unknown").ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(expected.Keys.Order(), mix.Rows.Select(r => (string)r[0]!).Order());
        foreach (var row in mix.Rows)
        {
            Assert.Equal(expected[(string)row[0]!], Long(row[1]));
            Assert.Equal(expected[(string)row[0]!] / (double)flights.Count, Double(row[2]), 9);
        }
    }

    [Fact]
    public async Task Views_should_agree_with_direct_sql_over_flights()
    {
        await using var warehouse = await OpenAsync();
        var flights = ViewFlights();
        await warehouse.WriteAsync(Batch(Cluster, [.. flights.Select((f, i) => ViewRow(f, i))], next: [(Topic, 0, flights.Count)]));

        var direct = await warehouse.QueryAsync(
            "SELECT airline, count(*), avg(departure_delay_minutes), avg(arrival_delay_minutes) FROM flights GROUP BY airline ORDER BY airline");
        var view = await warehouse.QueryAsync(
            $"SELECT airline, flights, avg_departure_delay_minutes, avg_arrival_delay_minutes FROM {WarehouseViews.DelaysByAirline} ORDER BY airline");

        Assert.Equal(direct.Rows.Count, view.Rows.Count);
        foreach (var (d, v) in direct.Rows.Zip(view.Rows))
        {
            Assert.Equal((string)d[0]!, (string)v[0]!);
            Assert.Equal(Long(d[1]), Long(v[1]));
            Assert.Equal(Double(d[2]), Double(v[2]), 9);
            Assert.Equal(Double(d[3]), Double(v[3]), 9);
        }

        var total = await warehouse.QueryAsync($"SELECT flights FROM {WarehouseViews.FlightTotals}");
        Assert.Equal(flights.Count, Long(total.Rows.Single()[0]));
    }

    // Issue 19 §1: aero looker generate offers the views this warehouse has, and each field
    // of its LookML names a real column of one.
    [Fact]
    public async Task Every_LookML_field_should_name_a_real_column_of_a_view_the_warehouse_has()
    {
        await using var warehouse = await OpenAsync();

        var checkedColumns = await LookMlCheck.AssertFieldsNameRealColumnsAsync(warehouse, LookMl.Files("aero", warehouse.Views), [.. warehouse.Views.Select(v => v.Name)]);

        Assert.True(checkedColumns >= 80, $"only {checkedColumns} column references checked");
    }

    // The dashboard asks this before reading a job's table, which the coordinator creates when its scheduler starts.
    [Fact]
    public async Task The_warehouse_should_say_which_tables_and_views_it_has_in_its_own_schema()
    {
        await using var warehouse = await OpenAsync();

        Assert.True(await warehouse.HasTableAsync(WarehouseTables.FlightsRaw));
        Assert.True(await warehouse.HasTableAsync(WarehouseViews.DashboardSummary));
        Assert.False(await warehouse.HasTableAsync("job_dashboard_summary"));
    }

    [Fact]
    public async Task The_dashboard_summary_should_hold_the_numbers_of_each_view_per_dimension()
    {
        // Issue 19 §2: the one summary the dashboard reads says what the views it reads no more say, on every backend.
        await using var warehouse = await OpenAsync();
        var flights = ViewFlights();
        await warehouse.WriteAsync(Batch(Cluster, [.. flights.Select((f, i) => ViewRow(f, i))], next: [(Topic, 0, flights.Count)]));
        (string Dimension, string Column, string View, string Key, string Measures)[] pairs =
        [
            ("all", "dimension", WarehouseViews.FlightTotals, "'all'", "flights, avg_departure_delay_minutes, on_time_share"),
            ("airline", "airline", WarehouseViews.DelaysByAirline, "airline", "flights, avg_departure_delay_minutes, on_time_share"),
            ("event_hour", "event_hour", WarehouseViews.DelaysByHour, "event_hour", "flights, avg_departure_delay_minutes, on_time_share"),
            ("route", "route", WarehouseViews.DelaysByRoute, "route", "flights, avg_departure_delay_minutes, on_time_share"),
            ("origin", "origin", WarehouseViews.DelaysByOrigin, "origin", "flights, avg_departure_delay_minutes, on_time_share"),
            ("delay_category", "delay_category", WarehouseViews.DelayCategoryMix, "delay_category", "flights, flights, flights"),
        ];

        foreach (var (dimension, column, view, key, measures) in pairs)
        {
            var summary = await warehouse.QueryAsync($"SELECT {column}, {measures} FROM {WarehouseViews.DashboardSummary} WHERE dimension = '{dimension}'");
            var expected = await warehouse.QueryAsync($"SELECT {key}, {measures} FROM {view}");
            Assert.True(expected.Rows.Count > 0, $"{view} is empty");
            Assert.Equal(expected.Rows.Select(r => KeyText(r[0])).Order(StringComparer.Ordinal), summary.Rows.Select(r => KeyText(r[0])).Order(StringComparer.Ordinal));
            foreach (var row in expected.Rows)
            {
                var held = summary.Rows.Single(r => KeyText(r[0]) == KeyText(row[0]));
                for (var i = 1; i < row.Length; i++)
                {
                    AssertClose(row[i] is null ? null : Double(row[i]), held[i] is null ? null : Double(held[i]), $"{dimension} {KeyText(row[0])} column {i}");
                }
            }
        }
    }

    private static void AssertDelayMeasures(string view, string? key, IReadOnlyList<ProcessedFlight> group, WarehouseView definition, object?[] row)
    {
        double? Column(string field) => row[definition.Fields.Select(f => f.Name).ToList().IndexOf(field)] is { } value ? Double(value) : null;
        var delays = group.Where(f => f.DepartureDelayMinutes is not null).Select(f => f.DepartureDelayMinutes!.Value).ToList();
        var arrivals = group.Where(f => f.ArrivalDelayMinutes is not null).Select(f => f.ArrivalDelayMinutes!.Value).ToList();
        var categorized = group.Count(f => f.DelayCategory is not null);
        var onTime = group.Count(f => f.DelayCategory == WarehouseViews.OnTimeCategory);
        var where = $"{view} {key}";
        Assert.True(group.Count == Column("flights"), $"{where}: flights");
        Assert.True(categorized == Column("flights_with_delay"), $"{where}: flights_with_delay");
        Assert.True(onTime == Column("on_time_flights"), $"{where}: on_time_flights");
        AssertClose(delays.Count == 0 ? null : delays.Sum(), Column("departure_delay_minutes_total"), $"{where}: departure_delay_minutes_total");
        AssertClose(delays.Count == 0 ? null : delays.Average(), Column("avg_departure_delay_minutes"), $"{where}: avg_departure_delay_minutes");
        AssertClose(arrivals.Count == 0 ? null : arrivals.Average(), Column("avg_arrival_delay_minutes"), $"{where}: avg_arrival_delay_minutes");
        AssertClose(delays.Count == 0 ? null : delays.Max(), Column("max_departure_delay_minutes"), $"{where}: max_departure_delay_minutes");
        AssertClose(categorized == 0 ? null : onTime / (double)categorized, Column("on_time_share"), $"{where}: on_time_share");
    }

    private static void AssertClose(double? expected, double? actual, string what) =>
        Assert.True(expected is null ? actual is null : actual is not null && Math.Abs(expected.Value - actual.Value) < 1e-9, $"{what}: expected {expected}, got {actual}");

    private static string? KeyText(object? value) => value switch
    {
        null => null,
        string text => text,
        DateOnly or DateTime => DateText(value),
        _ => Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
    };

    private static double Double(object? value) => Convert.ToDouble(value, CultureInfo.InvariantCulture);

    /// <summary>Flights over four airports, three airlines, three days and several hours, some without a delay.</summary>
    private static List<ProcessedFlight> ViewFlights() =>
    [
        .. Enumerable.Range(0, 48).Select(i =>
        {
            var origin = Airports[i % Airports.Length];
            var destination = Airports[(i / 2 + 1 + i % Airports.Length) % Airports.Length];
            destination = destination == origin ? Airports[(Array.IndexOf(Airports, origin) + 1) % Airports.Length] : destination;
            var time = new DateTime(2024, 3, 4, 0, 0, 0, DateTimeKind.Utc).AddHours(i * 1.7);
            double? delay = i % 7 == 3 ? null : (i * 13 % 97) - 20;
            return new ProcessedFlight
            {
                EventId = $"view-{i}",
                FlightId = $"flight-view-{i}",
                EventTime = time,
                Airline = Airlines[i % Airlines.Length],
                AirlineName = $"Airline {Airlines[i % Airlines.Length]}",
                Origin = origin,
                Destination = destination,
                DepartureDelayMinutes = delay,
                ArrivalDelayMinutes = delay is null ? null : delay - 5,
                DelayCategory = delay is null ? null : delay <= 0 ? "On-Time" : delay <= 15 ? "Minor" : delay <= 60 ? "Moderate" : "Major",
                EventDate = DateOnly.FromDateTime(time),
                EventHour = time.Hour,
                EventDayOfWeek = time.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)time.DayOfWeek,
                Route = $"{origin}-{destination}",
                OriginLatitude = 30 + Array.IndexOf(Airports, origin),
                OriginLongitude = -100 - Array.IndexOf(Airports, origin),
                DistanceMiles = 500 + i,
                Source = "spec",
                ProcessedAt = new DateTime(2024, 5, 1, 12, 0, 1, DateTimeKind.Utc),
            };
        }),
    ];

    private static LoadRow ViewRow(ProcessedFlight flight, int offset)
    {
        var row = Row(flight.EventId, 0, offset, origin: flight.Origin!, delay: flight.DepartureDelayMinutes);
        return row with { Processed = flight, Position = new KafkaPosition(Topic, 0, offset, row.Position.Timestamp) };
    }
}
