using System.CommandLine;
using Aero.Node.Configuration;

namespace Aero.Node.Commands;

/// <summary><c>--log-format text|json</c>, shared by the verbs that run a node; absent, <c>aero.logging.format</c> decides.</summary>
public static class LogFormatOption
{
    public static Option<LogFormat?> Create() => new("--log-format")
    {
        Description = "The log's format: text, or json (one object per line with severity, time, source, message and exception, as Google Cloud Logging reads them). Default: aero.logging.format",
        CustomParser = result => Enum.TryParse<LogFormat>(result.Tokens.Single().Value, ignoreCase: true, out var format) && Enum.IsDefined(format)
            ? format
            : throw new ArgumentException($"--log-format {result.Tokens.Single().Value}: expected text or json"),
    };
}
