using Akka.Configuration;
using Serilog.Events;

namespace Aero.Node.Configuration;

/// <summary>The node's log: <c>aero.logging</c> (see hocon/aero.conf).</summary>
public sealed record LoggingSettings(LogFormat Format, LogEventLevel Level)
{
    public static LoggingSettings Create(Config config) => new(
        Parse<LogFormat>(config, "aero.logging.format", "text or json"),
        Parse<LogEventLevel>(config, "aero.logging.level", "verbose, debug, information, warning, error or fatal"));

    public LoggingSettings WithFormat(LogFormat format) => this with { Format = format };

    public LoggingSettings WithLevel(LogEventLevel level) => this with { Level = level };

    private static T Parse<T>(Config config, string key, string expected)
        where T : struct, Enum
    {
        var text = config.GetString(key, "");
        return Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new ConfigurationException($"{key} = \"{text}\" is not valid: expected {expected}.");
    }
}
