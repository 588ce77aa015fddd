using System.Globalization;
using Aero.Streams;
using Aero.Streams.Windows;
using Aero.Warehouse.Windows;
using Spectre.Console;
using Config = Akka.Configuration.Config;

namespace Aero.Node.Commands;

/// <summary>
/// <c>aero run --once</c>'s windows: at the end of its input every open window is made final (the input is over, as if
/// the watermark had reached the end of time), and the summary shows the busiest final windows.
/// </summary>
public static class RunWindows
{
    private const int Shown = 3;

    /// <summary>Finalizes every open window and returns the busiest final ones (by flights, under the first dimension); none on a warehouse without windows.</summary>
    public static async Task<IReadOnlyList<object?[]>> FinishAsync(LoadNode host, Config config)
    {
        if (host.Warehouse is not IWindowStore store)
        {
            return [];
        }

        var settings = WindowSettings.Create(config);
        await new WindowFinalizer(store, settings, host.Topic, int.MaxValue).FinishInputAsync();
        var dimension = LoadWindows.DimensionName(settings.Dimensions[0]);
        var busiest = await host.Warehouse.QueryAsync(
            $"SELECT window_start, window_end, dimension, window_key, flights, avg_departure_delay_minutes FROM {WindowTables.Stats} " +
            $"WHERE dimension = '{dimension}' ORDER BY flights DESC, window_start LIMIT {Shown}");
        return busiest.Rows;
    }

    public static void Print(IReadOnlyList<object?[]> busiest)
    {
        if (busiest.Count == 0)
        {
            return;
        }

        // One line a window, as the jobs' headlines: the summary stays a few lines.
        AnsiConsole.MarkupLine("Busiest finalized windows:");
        foreach (var row in busiest)
        {
            var (start, end) = ((DateTime)row[0]!, (DateTime)row[1]!);
            var delay = row[5] is double minutes ? $", avg departure delay {minutes.ToString("F1", CultureInfo.InvariantCulture)} min" : "";
            AnsiConsole.MarkupLine(Markup.Escape(
                $"  {start.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}-{end.ToString("HH:mm", CultureInfo.InvariantCulture)} UTC " +
                $"{row[2]} {row[3]}: {Convert.ToInt64(row[4], CultureInfo.InvariantCulture):N0} flights{delay}"));
        }
    }
}
