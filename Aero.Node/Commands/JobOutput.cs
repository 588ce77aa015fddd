using System.Globalization;
using Serilog;
using Spectre.Console;

namespace Aero.Node.Commands;

/// <summary>
/// Where a job's own lines go (Spectre markup, interpolated values escaped): the terminal for <c>aero run</c>, the log
/// for <c>aero serve</c>, whose only output is its log.
/// </summary>
public sealed class JobOutput
{
    private readonly bool _toLog;

    private JobOutput(bool toLog) => _toLog = toLog;

    public static JobOutput Terminal { get; } = new(toLog: false);

    public static JobOutput Log { get; } = new(toLog: true);

    public void Info(FormattableString markup) => Write(markup, null);

    public void Warn(FormattableString markup) => Write(markup, "yellow");

    public void Error(FormattableString markup) => Write(markup, "red");

    private void Write(FormattableString markup, string? color)
    {
        var text = string.Format(CultureInfo.CurrentCulture, markup.Format, [.. markup.GetArguments().Select(a => new Escaped(a))]);
        if (!_toLog)
        {
            AnsiConsole.MarkupLine(color is null ? text : $"[{color}]{text}[/]");
            return;
        }

        var logger = Serilog.Log.ForContext("SourceContext", "Aero.Node.Serve");
        var plain = Markup.Remove(text);
        switch (color)
        {
            case "red":
                logger.Error("{Line:l}", plain);
                break;
            case "yellow":
                logger.Warning("{Line:l}", plain);
                break;
            default:
                logger.Information("{Line:l}", plain);
                break;
        }
    }

    /// <summary>An interpolated value formatted as asked, then escaped, so that it never reads as markup.</summary>
    private sealed record Escaped(object? Value) : IFormattable
    {
        public string ToString(string? format, IFormatProvider? formatProvider) =>
            Markup.Escape(Value is IFormattable formattable ? formattable.ToString(format, formatProvider) : Value?.ToString() ?? "");
    }
}
