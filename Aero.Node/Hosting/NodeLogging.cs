using Aero.Node.Configuration;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Aero.Node.Hosting;

/// <summary>The node's Serilog logger: readable lines or compact JSON, on standard error so standard output stays the command's.</summary>
public static class NodeLogging
{
    private const string TextTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    public static Serilog.Core.Logger Create(LoggingSettings settings)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(settings.Level)
            // ASP.NET Core's per-request and lifetime chatter says nothing an operator needs.
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .Enrich.FromLogContext();
        return (settings.Format == LogFormat.Json
                ? configuration.WriteTo.Console(new RenderedCompactJsonFormatter(), standardErrorFromLevel: LogEventLevel.Verbose)
                : configuration.WriteTo.Console(outputTemplate: TextTemplate, standardErrorFromLevel: LogEventLevel.Verbose, formatProvider: System.Globalization.CultureInfo.InvariantCulture))
            .CreateLogger();
    }
}
