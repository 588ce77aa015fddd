using Aero.Actors.Configuration;
using Akka.Actor;
using Akka.Configuration;
using Serilog.Events;

namespace Aero.Node.Configuration;

/// <summary>The node's log: <c>aero.logging</c> (see hocon/aero.conf).</summary>
public sealed record LoggingSettings(LogFormat Format, LogEventLevel Level, string File)
{
    public static LoggingSettings Create(ActorSystem system) => Create(system.Settings.Config);

    public static LoggingSettings Create(Config config) => new LoggingSettings(
        SettingsKeys.OneOf<LogFormat>(config, "aero.logging.format", "text or json"),
        SettingsKeys.OneOf<LogEventLevel>(config, "aero.logging.level", "verbose, debug, information, warning, error or fatal"),
        SettingsKeys.Text(config, "aero.logging.file")).Validate();

    public LoggingSettings WithFormat(LogFormat format) => (this with { Format = format }).Validate();

    public LoggingSettings WithLevel(LogEventLevel level) => (this with { Level = level }).Validate();

    public LoggingSettings WithFile(string file) => (this with { File = file }).Validate();

    private LoggingSettings Validate() => string.IsNullOrWhiteSpace(File)
        ? throw new ConfigurationException("aero.logging.file = \"\" is not valid: expected a file path (aero run writes its log there unless --verbose).")
        : this;
}
