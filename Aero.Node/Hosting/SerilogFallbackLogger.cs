using Akka.Event;
using LogEventLevel = Serilog.Events.LogEventLevel;

namespace Aero.Node.Hosting;

/// <summary>
/// Akka's logger for the moments its loggers are not running: before they start and after they stop, which is the end of
/// every shutdown. Akka's own writes to standard output, which is the command's; this one writes to the node's Serilog
/// logger, so those lines land in the log file with the others.
/// </summary>
public sealed class SerilogFallbackLogger : MinimalLogger
{
    protected override void Log(object message)
    {
        if (message is not LogEvent logEvent)
        {
            return;
        }

        var level = logEvent.LogLevel() switch
        {
            LogLevel.DebugLevel => LogEventLevel.Debug,
            LogLevel.InfoLevel => LogEventLevel.Information,
            LogLevel.WarningLevel => LogEventLevel.Warning,
            _ => LogEventLevel.Error,
        };
        Serilog.Log.Logger.ForContext("SourceContext", logEvent.LogSource)
            .Write(level, logEvent.Cause, "{AkkaMessage:l}", logEvent.Message?.ToString());
    }
}
