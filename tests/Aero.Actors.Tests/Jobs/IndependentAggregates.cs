using System.Globalization;
using Aero.Warehouse;
using Xunit;

namespace Aero.Actors.Tests.Jobs;

/// <summary>
/// The built-in jobs' aggregates computed in C# over the flights read back from the warehouse, as an independent check
/// of their SQL: every result is keyed by the output's key columns, as text, with its values as doubles (null kept).
/// </summary>
internal static class IndependentAggregates
{
    private sealed record Flight(
        string? Airline, string? AirlineName, string? Origin, string? Destination, string Route, DateTime EventTime, int Hour, int DayOfWeek,
        double? DepartureDelay, double? ArrivalDelay, DateTime? ScheduledDeparture, DateTime? ActualArrival, string? DelayCategory);

    public static async Task<Dictionary<string, Dictionary<string, Dictionary<string, double?>>>> ComputeAsync(IWarehouseQuery warehouse)
    {
        var read = await warehouse.QueryAsync(
            "SELECT airline, airline_name, origin, destination, route, event_time, event_hour, event_day_of_week, departure_delay_minutes, arrival_delay_minutes, scheduled_departure, actual_arrival, delay_category FROM flights");
        var flights = read.Rows.Select(r => new Flight(
            r[0] as string, r[1] as string, r[2] as string, r[3] as string, (string)r[4]!, Time(r[5])!.Value, Whole(r[6]), Whole(r[7]),
            Number(r[8]), Number(r[9]), Time(r[10]), Time(r[11]), r[12] as string)).ToList();
        return new()
        {
            ["delays-by-month"] = flights.GroupBy(f => (f.EventTime.Year, f.EventTime.Month)).ToDictionary(
                g => $"{g.Key.Year}|{g.Key.Month}",
                g => Values(("flights", g.Count()), ("avg_departure_delay", Average(g.Select(f => f.DepartureDelay))),
                    ("avg_arrival_delay", Average(g.Select(f => f.ArrivalDelay))), ("delayed_flights", g.Count(f => f.DepartureDelay > 15)))),
            ["airline-ranking"] = Ranked(flights.Where(f => f.Airline is not null).GroupBy(f => f.Airline!), int.MaxValue),
            ["top-routes"] = Ranked(flights.Where(f => f.Origin is not null && f.Destination is not null).GroupBy(f => f.Route), 100),
            ["airport-congestion"] = flights.Where(f => f.Origin is not null).GroupBy(f => (f.Origin, f.DayOfWeek, f.Hour)).ToDictionary(
                g => $"{g.Key.Origin}|{g.Key.DayOfWeek}|{g.Key.Hour}",
                g => Values(("departures", g.Count()), ("avg_departure_delay", Average(g.Select(f => f.DepartureDelay))))),
            ["delay-propagation"] = Propagation(flights),
            ["dashboard-summary"] = Summary(flights),
        };
    }

    /// <summary>An output table's rows keyed like <see cref="ComputeAsync"/>'s, for <paramref name="period"/>.</summary>
    public static async Task<Dictionary<string, Dictionary<string, double?>>> ReadOutputAsync(IWarehouseQuery warehouse, string table, string[] keys, string period)
    {
        var result = await warehouse.QueryAsync($"SELECT * FROM {table} WHERE period = '{period}'");
        var names = result.Columns.Select(c => c.Name).ToList();
        return result.Rows.ToDictionary(
            row => string.Join('|', keys.Select(k => Convert.ToString(row[names.IndexOf(k)], CultureInfo.InvariantCulture))),
            row => names.Select((name, i) => (name, i)).Where(c => c.name != "period" && !keys.Contains(c.name) && row[c.i] is not (string or DateTime or DateTimeOffset))
                .ToDictionary(c => c.name, c => Number(row[c.i])));
    }

    private static Dictionary<string, Dictionary<string, double?>> Ranked(IEnumerable<IGrouping<string, Flight>> groups, int top) =>
        groups.OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(top).Select((g, i) => (g, rank: i + 1)).ToDictionary(
            x => x.g.Key,
            x => Values(("flights", x.g.Count()), ("avg_departure_delay", Average(x.g.Select(f => f.DepartureDelay))),
                ("avg_arrival_delay", Average(x.g.Select(f => f.ArrivalDelay))),
                ("on_time_share", x.g.Any(f => f.DepartureDelay is not null) ? x.g.Where(f => f.DepartureDelay is not null).Average(f => f.DepartureDelay <= 15 ? 1.0 : 0.0) : null),
                ("volume_rank", x.rank)));

    private static Dictionary<string, Dictionary<string, double?>> Propagation(List<Flight> flights)
    {
        var inbound = flights.Where(f => f.Destination is not null && f.ActualArrival is not null && f.ArrivalDelay is not null)
            .GroupBy(f => (Airport: f.Destination!, Hour: Hour(f.ActualArrival!.Value)))
            .ToDictionary(g => g.Key, g => (Delay: g.Average(f => f.ArrivalDelay!.Value), Count: g.Count()));
        var outbound = flights.Where(f => f.Origin is not null && f.ScheduledDeparture is not null && f.DepartureDelay is not null)
            .GroupBy(f => (Airport: f.Origin!, Hour: Hour(f.ScheduledDeparture!.Value)))
            .ToDictionary(g => g.Key, g => (Delay: g.Average(f => f.DepartureDelay!.Value), Count: g.Count()));
        var pairs = inbound.Where(i => outbound.ContainsKey((i.Key.Airport, i.Key.Hour.AddHours(1))))
            .Select(i => (i.Key.Airport, In: i.Value, Out: outbound[(i.Key.Airport, i.Key.Hour.AddHours(1))]));
        return pairs.GroupBy(p => p.Airport).ToDictionary(
            g => g.Key,
            g => Values(("hours", g.Count()), ("arrivals", g.Sum(p => p.In.Count)), ("next_departures", g.Sum(p => p.Out.Count)),
                ("avg_arrival_delay", g.Average(p => p.In.Delay)), ("avg_next_departure_delay", g.Average(p => p.Out.Delay)),
                ("correlation", Correlation([.. g.Select(p => (p.In.Delay, p.Out.Delay))]))));
    }

    /// <summary>The totals (dimension all), then each dimension's groups, keyed as dimension|airline|delay_category|event_hour|route|origin.</summary>
    private static Dictionary<string, Dictionary<string, double?>> Summary(List<Flight> flights)
    {
        (string Name, Func<Flight, string?> Key)[] dimensions =
        [
            ("airline", f => f.Airline), ("delay_category", f => f.DelayCategory ?? "Unknown"), ("event_hour", f => f.Hour.ToString(CultureInfo.InvariantCulture)),
            ("route", f => f.Route), ("origin", f => f.Origin),
        ];
        var rows = new Dictionary<string, Dictionary<string, double?>> { ["all|||||"] = SummaryMeasures(flights) };
        for (var slot = 0; slot < dimensions.Length; slot++)
        {
            foreach (var group in flights.GroupBy(dimensions[slot].Key))
            {
                var key = new string?[6];
                (key[0], key[slot + 1]) = (dimensions[slot].Name, group.Key);
                rows[string.Join('|', key)] = SummaryMeasures([.. group]);
            }
        }

        return rows;
    }

    private static Dictionary<string, double?> SummaryMeasures(IReadOnlyCollection<Flight> group)
    {
        var categorized = group.Count(f => f.DelayCategory is not null);
        var onTime = group.Count(f => f.DelayCategory == "On-Time");
        return Values(("flights", group.Count), ("flights_with_delay", categorized), ("on_time_flights", onTime),
            ("avg_departure_delay_minutes", Average(group.Select(f => f.DepartureDelay))), ("avg_arrival_delay_minutes", Average(group.Select(f => f.ArrivalDelay))),
            ("on_time_share", categorized == 0 ? null : onTime / (double)categorized));
    }

    /// <summary>Pearson's r, null where the SQL's CORR gives null: fewer than two points, or no spread.</summary>
    private static double? Correlation(IReadOnlyList<(double X, double Y)> points)
    {
        if (points.Count < 2)
        {
            return null;
        }

        var (meanX, meanY) = (points.Average(p => p.X), points.Average(p => p.Y));
        var covariance = points.Sum(p => (p.X - meanX) * (p.Y - meanY));
        var spread = Math.Sqrt(points.Sum(p => (p.X - meanX) * (p.X - meanX)) * points.Sum(p => (p.Y - meanY) * (p.Y - meanY)));
        return spread == 0 ? null : covariance / spread;
    }

    private static Dictionary<string, double?> Values(params (string Name, double? Value)[] values) => values.ToDictionary(v => v.Name, v => v.Value);

    private static double? Average(IEnumerable<double?> values)
    {
        var known = values.Where(v => v is not null).Select(v => v!.Value).ToList();
        return known.Count == 0 ? null : known.Average();
    }

    private static DateTime Hour(DateTime time) => new(time.Year, time.Month, time.Day, time.Hour, 0, 0, DateTimeKind.Utc);

    private static DateTime? Time(object? value) => value switch
    {
        null => null,
        DateTime time => DateTime.SpecifyKind(time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : time, DateTimeKind.Utc),
        DateTimeOffset time => time.UtcDateTime,
        _ => throw new InvalidOperationException($"Not a time: {value.GetType()}"),
    };

    private static int Whole(object? value) => Convert.ToInt32(value, CultureInfo.InvariantCulture);

    private static double? Number(object? value) => value is null ? null : Convert.ToDouble(value, CultureInfo.InvariantCulture);
}
