using System.CommandLine;
using System.Globalization;

namespace Aero.Node.Report;

/// <summary><c>aero report</c>: the dashboard's charts as a self-contained HTML file, PNG files and CSV files.</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "A folder (report.html goes in it) or an .html file; the PNG and CSV files go beside it", Required = true };
        var from = new Option<string?>("--from") { Description = "First event date (UTC) to include, YYYY-MM-DD" };
        var to = new Option<string?>("--to") { Description = "Last event date (UTC) to include, YYYY-MM-DD" };
        var config = new Option<string?>("--config") { Description = "HOCON configuration file (default: hocon/aero.conf beside aero)" };
        var command = new Command("report", "Write the dashboard's charts as one HTML file (SVG inside), PNG files and the CSV behind each");
        foreach (var option in new Option[] { output, from, to, config })
        {
            command.Options.Add(option);
        }

        command.SetAction((result, cancellation) => ReportJob.ExecuteAsync(
            result.GetValue(output)!, Date(result.GetValue(from), "--from"), Date(result.GetValue(to), "--to"), result.GetValue(config), cancellation));
        return command;
    }

    private static DateOnly? Date(string? text, string option) =>
        text is null ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
        : throw new ArgumentException($"{option} {text}: expected a date as YYYY-MM-DD.");
}
