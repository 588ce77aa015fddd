using Aero.Node.Dashboard;
using ScottPlot;

namespace Aero.Node.Report;

/// <summary>The report's charts as PNG files, drawn with ScottPlot from the same rows as their SVG.</summary>
public static class PngCharts
{
    public const int Width = 1000;
    public const int Height = 600;

    public static void Bars(string path, string title, IReadOnlyList<ChartRow> rows, string valueLabel, Func<ChartRow, string> color)
    {
        var plot = new Plot();
        plot.Title(title);
        if (rows.Count == 0)
        {
            plot.Add.Annotation(SvgCharts.NoData);
        }
        else
        {
            var bars = rows.Select((row, i) => new Bar { Position = rows.Count - 1 - i, Value = row.Value, FillColor = Color.FromHex(color(row)) }).ToList();
            var plotted = plot.Add.Bars(bars);
            plotted.Horizontal = true;
            plot.Axes.Left.SetTicks([.. rows.Select((_, i) => (double)(rows.Count - 1 - i))], [.. rows.Select(r => r.Label)]);
            plot.XLabel(valueLabel);
        }

        plot.SavePng(path, Width, Height);
    }

    public static void Hours(string path, string title, IReadOnlyList<ChartRow> rows)
    {
        var plot = new Plot();
        plot.Title(title);
        if (rows.Count == 0)
        {
            plot.Add.Annotation(SvgCharts.NoData);
        }
        else
        {
            plot.Add.Bars([.. rows.Select(r => double.Parse(r.Label, System.Globalization.CultureInfo.InvariantCulture))], [.. rows.Select(r => r.Value)]);
            plot.XLabel("hour of day, UTC");
            plot.YLabel("flights");
        }

        plot.SavePng(path, Width, Height);
    }

    public static void Airports(string path, string title, IReadOnlyList<AirportPoint> airports)
    {
        var plot = new Plot();
        plot.Title(title);
        var outline = plot.Add.Polygon([.. UsOutline.Points.Select(p => new Coordinates(p.Longitude, p.Latitude))]);
        outline.FillColor = Color.FromHex("#eef1f5");
        outline.LineColor = Color.FromHex("#9aa5b1");
        var max = Math.Max(1, airports.Count == 0 ? 1 : airports.Max(a => a.Flights));
        foreach (var airport in airports.OrderByDescending(a => a.Flights))
        {
            var marker = plot.Add.Marker(airport.Longitude, airport.Latitude, MarkerShape.FilledCircle, (float)(4 + 26 * Math.Sqrt(airport.Flights / (double)max)), Color.FromHex(SvgCharts.DelayColor(airport.AverageDelayMinutes ?? 0)).WithAlpha(0.75));
            marker.MarkerLineColor = Colors.Black;
        }

        if (airports.Count == 0)
        {
            plot.Add.Annotation(SvgCharts.NoData);
        }

        plot.Axes.SetLimits(UsOutline.West, UsOutline.East, UsOutline.South, UsOutline.North);
        plot.XLabel("longitude");
        plot.YLabel("latitude");
        plot.SavePng(path, Width, Height);
    }
}
