using System.Globalization;
using System.Security;
using System.Text;

namespace Aero.Node.Dashboard;

/// <summary>
/// The dashboard's and the report's charts as small hand-written SVG: sized by a viewBox, so they scale to any width,
/// with text in the page's font. An empty chart says "No data yet" instead of drawing nothing.
/// </summary>
public static class SvgCharts
{
    public const int Width = 640;
    public const string NoData = "No data yet";

    private const int LabelWidth = 170;
    private const int BarHeight = 22;

    public static string DelayByAirline(IReadOnlyList<ChartRow> rows) => HorizontalBars("Average departure delay by airline, minutes", rows, r => DelayColor(r.Value), "min");

    public static string DelayedRoutes(IReadOnlyList<ChartRow> rows) => HorizontalBars("Most delayed routes, average departure delay, minutes", rows, r => DelayColor(r.Value), "min");

    public static string CategoryMix(IReadOnlyList<ChartRow> rows) => HorizontalBars("Flights by delay category", rows, r => CategoryColor(r.Label), "");

    public static string FlightsByHour(IReadOnlyList<ChartRow> rows)
    {
        const string title = "Flights by hour of day, UTC";
        if (rows.Count == 0)
        {
            return Empty(title);
        }

        const int height = 240, top = 30, bottom = 200, left = 40;
        var max = Math.Max(1, rows.Max(r => r.Value));
        var slot = (Width - left - 10) / 24.0;
        var body = new StringBuilder();
        Line(body, left, bottom, Width - 10, bottom, "#999");
        Text(body, left - 6, top + 4, Number(max), "end", 11);
        Text(body, left - 6, bottom, "0", "end", 11);
        foreach (var row in rows)
        {
            var hour = int.Parse(row.Label, CultureInfo.InvariantCulture);
            var barHeight = (bottom - top) * row.Value / max;
            var x = left + hour * slot + 2;
            body.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar\" x=\"{x:0.#}\" y=\"{bottom - barHeight:0.#}\" width=\"{slot - 4:0.#}\" height=\"{barHeight:0.#}\" fill=\"#3b7dd8\"><title>{hour:00}:00 UTC: {Number(row.Value)} flights</title></rect>");
            if (hour % 3 == 0)
            {
                Text(body, x + (slot - 4) / 2, bottom + 16, hour.ToString("00", CultureInfo.InvariantCulture), "middle", 11);
            }
        }

        return Svg(title, height, body.ToString());
    }

    /// <summary>Airports where they are, sized by their flights and coloured by their average departure delay.</summary>
    public static string AirportMap(IReadOnlyList<AirportPoint> airports)
    {
        const string title = "Airports by traffic (size) and average departure delay (colour)";
        const int height = 380, top = 24, mapHeight = 330;
        var body = new StringBuilder();
        var outline = string.Join(" ", UsOutline.Points.Select(p => Project(p.Longitude, p.Latitude, top, mapHeight)).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.X:0.#},{p.Y:0.#}")));
        body.Append(CultureInfo.InvariantCulture, $"<polygon points=\"{outline}\" fill=\"#eef1f5\" stroke=\"#9aa5b1\" stroke-width=\"1\"/>");
        var shown = airports.Where(a => a.Longitude is >= UsOutline.West and <= UsOutline.East && a.Latitude is >= UsOutline.South and <= UsOutline.North).ToList();
        if (shown.Count == 0)
        {
            Text(body, Width / 2.0, top + mapHeight / 2.0, NoData, "middle", 16, "no-data");
        }

        var max = Math.Max(1, shown.Count == 0 ? 1 : shown.Max(a => a.Flights));
        foreach (var airport in shown.OrderByDescending(a => a.Flights))
        {
            var (x, y) = Project(airport.Longitude, airport.Latitude, top, mapHeight);
            var radius = 2 + 14 * Math.Sqrt(airport.Flights / (double)max);
            var delay = airport.AverageDelayMinutes;
            body.Append(CultureInfo.InvariantCulture, $"<circle class=\"airport\" cx=\"{x:0.#}\" cy=\"{y:0.#}\" r=\"{radius:0.#}\" fill=\"{DelayColor(delay ?? 0)}\" fill-opacity=\"0.75\" stroke=\"#333\" stroke-width=\"0.5\">");
            body.Append(CultureInfo.InvariantCulture, $"<title>{Escape(airport.Code)}: {Number(airport.Flights)} flights, average delay {(delay is null ? "unknown" : Number(delay.Value) + " min")}</title></circle>");
        }

        Legend(body, height - 16);
        return Svg(title, height, body.ToString());
    }

    /// <summary>The colour of an average delay: green on time, then yellow, orange and red.</summary>
    public static string DelayColor(double minutes) => minutes switch
    {
        <= 0 => "#2e9e5b",
        <= 15 => "#c9b22a",
        <= 45 => "#e8872e",
        _ => "#d23c3c",
    };

    private static string CategoryColor(string category) => category switch
    {
        "On-Time" => "#2e9e5b",
        "Minor" => "#c9b22a",
        "Moderate" => "#e8872e",
        "Major" => "#d23c3c",
        _ => "#8a94a0",
    };

    private static string HorizontalBars(string title, IReadOnlyList<ChartRow> rows, Func<ChartRow, string> color, string unit)
    {
        if (rows.Count == 0)
        {
            return Empty(title);
        }

        const int top = 30, valueWidth = 90;
        var height = top + rows.Count * BarHeight + 10;
        var low = Math.Min(0, rows.Min(r => r.Value));
        var high = Math.Max(0, rows.Max(r => r.Value));
        var span = Math.Max(high - low, 1e-9);
        var plot = Width - LabelWidth - valueWidth;
        var zero = LabelWidth + plot * (0 - low) / span;
        var body = new StringBuilder();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var y = top + i * BarHeight;
            var end = LabelWidth + plot * (row.Value - low) / span;
            var x = Math.Min(zero, end);
            Text(body, LabelWidth - 8, y + 15, Shorten(row.Label), "end", 12);
            body.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar\" x=\"{x:0.#}\" y=\"{y + 3}\" width=\"{Math.Max(1, Math.Abs(end - zero)):0.#}\" height=\"{BarHeight - 6}\" fill=\"{color(row)}\">");
            body.Append(CultureInfo.InvariantCulture, $"<title>{Escape(row.Label)}: {Number(row.Value)}{(unit.Length > 0 ? " " + unit : "")} ({Number(row.Flights)} flights)</title></rect>");
            Text(body, Math.Max(zero, end) + 6, y + 15, Number(row.Value) + (unit.Length > 0 ? " " + unit : ""), "start", 11);
        }

        Line(body, zero, top, zero, height - 10, "#666");
        return Svg(title, height, body.ToString());
    }

    private static void Legend(StringBuilder body, int y)
    {
        var entries = new[] { ("on time", 0.0), ("≤ 15 min", 10.0), ("≤ 45 min", 30.0), ("> 45 min", 60.0) };
        for (var i = 0; i < entries.Length; i++)
        {
            var x = 20 + i * 120;
            body.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{x}\" cy=\"{y}\" r=\"6\" fill=\"{DelayColor(entries[i].Item2)}\"/>");
            Text(body, x + 10, y + 4, entries[i].Item1, "start", 11);
        }
    }

    private static (double X, double Y) Project(double longitude, double latitude, int top, int height) =>
        (10 + (Width - 20) * (longitude - UsOutline.West) / (UsOutline.East - UsOutline.West),
         top + height * (UsOutline.North - latitude) / (UsOutline.North - UsOutline.South));

    private static string Empty(string title)
    {
        var body = new StringBuilder();
        Text(body, Width / 2.0, 80, NoData, "middle", 16, "no-data");
        return Svg(title, 120, body.ToString());
    }

    private static string Svg(string title, int height, string body) =>
        $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {height}\" width=\"100%\" role=\"img\" aria-label=\"{Escape(title)}\" font-family=\"system-ui, sans-serif\">" +
        $"<text x=\"0\" y=\"16\" font-size=\"14\" font-weight=\"600\" fill=\"#1f2933\">{Escape(title)}</text>{body}</svg>";

    private static void Text(StringBuilder body, double x, double y, string text, string anchor, int size, string? cssClass = null) =>
        body.Append(CultureInfo.InvariantCulture, $"<text{(cssClass is null ? "" : $" class=\"{cssClass}\"")} x=\"{x:0.#}\" y=\"{y:0.#}\" font-size=\"{size}\" text-anchor=\"{anchor}\" fill=\"#3e4c59\">{Escape(text)}</text>");

    private static void Line(StringBuilder body, double x1, double y1, double x2, double y2, string color) =>
        body.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x1:0.#}\" y1=\"{y1:0.#}\" x2=\"{x2:0.#}\" y2=\"{y2:0.#}\" stroke=\"{color}\" stroke-width=\"1\"/>");

    private static string Shorten(string label) => label.Length <= 24 ? label : label[..23] + "…";

    private static string Number(double value) => Math.Abs(value) >= 100 ? value.ToString("#,0", CultureInfo.InvariantCulture) : value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Escape(string text) => SecurityElement.Escape(text) ?? "";
}
