using System.Globalization;
using System.Security;
using System.Text;
using Aero.Node.Commands;
using Aero.Node.Configuration;
using Aero.Node.Dashboard;
using Aero.Warehouse;
using Aero.Warehouse.Views;
using Spectre.Console;

namespace Aero.Node.Report;

/// <summary>
/// <c>aero report</c>: reads the dashboard's numbers from the view dashboard_summary (over the flights of a span of
/// days when given) and writes one self-contained HTML file with the charts as SVG, each chart as a PNG, and the numbers
/// behind each as CSV, showing its progress as the queries run.
/// </summary>
public static class ReportJob
{
    public const string DefaultHtml = "report.html";

    public static async Task<int> ExecuteAsync(string output, DateOnly? from, DateOnly? to, string? configPath, CancellationToken cancellation)
    {
        var config = AeroConfiguration.Load(configPath);
        var settings = DashboardSettings.Create(config);
        var html = output.EndsWith(".html", StringComparison.OrdinalIgnoreCase) ? Path.GetFullPath(output) : Path.Combine(Path.GetFullPath(output), DefaultHtml);
        var folder = Path.GetDirectoryName(html)!;
        Directory.CreateDirectory(folder);
        // The summary's view itself (not the job's copy, which may be a minute old), or its query over the span of days.
        var source = from is null && to is null
            ? WarehouseViews.DashboardSummary
            : $"({WarehouseViews.Summary.QueryIn(ViewDialect.Within(config.GetString("aero.warehouse.kind"), from, to))}) AS v";

        DashboardSnapshot? snapshot = null;
        List<ReportChart> charts = [];
        await AnsiConsole.Progress().AutoClear(false).StartAsync(async progress =>
        {
            var open = progress.AddTask("Opening the warehouse");
            var read = progress.AddTask("Reading the views", autoStart: false);
            var draw = progress.AddTask("Drawing the charts", autoStart: false);
            var write = progress.AddTask("Writing HTML, PNG and CSV", autoStart: false);
            await using var warehouse = await Warehouses.OpenAsync(config, cancellation);
            open.Value = 100;
            read.StartTask();
            snapshot = await DashboardQueries.ReadAsync(warehouse, source, settings.TopRoutes, settings.RouteMinFlights, previous: null, cancellation);
            read.Value = 100;
            draw.StartTask();
            charts = Charts(snapshot, folder);
            draw.Value = 100;
            write.StartTask();
            foreach (var chart in charts)
            {
                await using var csv = new StreamWriter(Path.Combine(folder, chart.Name + ".csv"), append: false, new UTF8Encoding(false));
                QueryOutput.WriteCsv(chart.Data, csv);
            }

            await File.WriteAllTextAsync(html, Html(snapshot, charts, from, to), cancellation);
            write.Value = 100;
        });

        AnsiConsole.MarkupLineInterpolated($"Report of {snapshot!.Headline.Flights:N0} flights: [bold]{html}[/] with {charts.Count} charts (PNG and CSV beside it)");
        return 0;
    }

    /// <summary>Every chart of the dashboard, its PNG written to <paramref name="folder"/>.</summary>
    public static List<ReportChart> Charts(DashboardSnapshot snapshot, string folder)
    {
        PngCharts.Bars(Path.Combine(folder, "delay-by-airline.png"), "Average departure delay by airline", snapshot.DelayByAirline, "minutes", r => SvgCharts.DelayColor(r.Value));
        PngCharts.Bars(Path.Combine(folder, "category-mix.png"), "Flights by delay category", snapshot.CategoryMix, "flights", _ => "#3b7dd8");
        PngCharts.Hours(Path.Combine(folder, "flights-by-hour.png"), "Flights by hour of day, UTC", snapshot.FlightsByHour);
        PngCharts.Bars(Path.Combine(folder, "delayed-routes.png"), "Most delayed routes, average departure delay", snapshot.DelayedRoutes, "minutes", r => SvgCharts.DelayColor(r.Value));
        PngCharts.Airports(Path.Combine(folder, "airport-map.png"), "Airports by traffic and average departure delay", snapshot.Airports);
        return
        [
            new("delay-by-airline", "Average departure delay by airline", SvgCharts.DelayByAirline(snapshot.DelayByAirline), Rows(["airline", "avg_departure_delay_minutes", "flights"], snapshot.DelayByAirline)),
            new("category-mix", "Flights by delay category", SvgCharts.CategoryMix(snapshot.CategoryMix), Rows(["delay_category", "flights", "flights"], snapshot.CategoryMix)),
            new("flights-by-hour", "Flights by hour of day, UTC", SvgCharts.FlightsByHour(snapshot.FlightsByHour), Rows(["event_hour", "flights", "flights"], snapshot.FlightsByHour)),
            new("delayed-routes", "Most delayed routes", SvgCharts.DelayedRoutes(snapshot.DelayedRoutes), Rows(["route", "avg_departure_delay_minutes", "flights"], snapshot.DelayedRoutes)),
            new(
                "airport-map",
                "Airports by traffic and average departure delay",
                SvgCharts.AirportMap(snapshot.Airports),
                new QueryResult(
                    [new("origin", "text"), new("latitude", "double"), new("longitude", "double"), new("flights", "bigint"), new("avg_departure_delay_minutes", "double")],
                    [.. snapshot.Airports.Select(a => new object?[] { a.Code, a.Latitude, a.Longitude, a.Flights, a.AverageDelayMinutes })])),
        ];
    }

    // The category mix and the hours chart draw flights: their value column is the flights column again, so it is left out.
    private static QueryResult Rows(string[] header, IReadOnlyList<ChartRow> rows) => header[1] == header[2]
        ? new QueryResult([new(header[0], "text"), new(header[1], "bigint")], [.. rows.Select(r => new object?[] { r.Label, r.Flights })])
        : new QueryResult([new(header[0], "text"), new(header[1], "double"), new(header[2], "bigint")], [.. rows.Select(r => new object?[] { r.Label, r.Value, r.Flights })]);

    private static string Html(DashboardSnapshot snapshot, IReadOnlyList<ReportChart> charts, DateOnly? from, DateOnly? to)
    {
        var headline = snapshot.Headline;
        var span = from is null && to is null ? "all flights" : $"flights from {from?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "the first"} to {to?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "the last"}";
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Aero report</title>
            <style>
              body { font-family: system-ui, sans-serif; color: #1f2933; max-width: 1000px; margin: 1rem auto; padding: 0 1rem; }
              table.headline td { padding: .2rem 1rem .2rem 0; } table.headline td.value { font-weight: 600; text-align: right; font-variant-numeric: tabular-nums; }
              section.chart { margin: 1.5rem 0; border-top: 1px solid #d9e2ec; padding-top: 1rem; }
              .muted { color: #616e7c; font-size: .9rem; }
            </style></head><body>
            <h1>Aero report</h1>
            <p class="muted">{{Escape(span)}}, read {{snapshot.ReadAt:yyyy-MM-dd HH:mm:ss}} UTC from the warehouse's views.</p>
            <table class="headline">
            <tr><td>Flights</td><td class="value" id="flights">{{headline.Flights:N0}}</td></tr>
            <tr><td>On time</td><td class="value" id="on-time-share">{{(headline.OnTimeShare is { } share ? (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "–")}}</td></tr>
            <tr><td>Average departure delay</td><td class="value" id="average-delay">{{(headline.AverageDelayMinutes is { } delay ? delay.ToString("0.0", CultureInfo.InvariantCulture) + " min" : "–")}}</td></tr>
            <tr><td>Dead letters (all time)</td><td class="value" id="dead-letters">{{headline.DeadLetters:N0}}</td></tr>
            </table>

            """);
        if (!snapshot.HasFlights)
        {
            text.Append("<p><strong>No data yet:</strong> the warehouse holds no flights for this span.</p>\n");
        }

        foreach (var chart in charts)
        {
            text.Append(CultureInfo.InvariantCulture, $"<section class=\"chart\" id=\"{chart.Name}\"><h2>{Escape(chart.Title)}</h2>\n{chart.Svg}\n");
            text.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">The numbers: <a href=\"{chart.Name}.csv\">{chart.Name}.csv</a> · as an image: <a href=\"{chart.Name}.png\">{chart.Name}.png</a></p></section>\n");
        }

        return text.Append("</body></html>\n").ToString();
    }

    private static string Escape(string text) => SecurityElement.Escape(text) ?? "";
}
