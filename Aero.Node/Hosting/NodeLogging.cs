using System.Globalization;
using Aero.Node.Configuration;
using Serilog;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;

namespace Aero.Node.Hosting;

/// <summary>The node's Serilog logger: readable lines or Cloud Logging's JSON, to the file, standard error or standard output.</summary>
public static class NodeLogging
{
    // :l, not :lj: Akka passes enums (a member status) and other values that JSON rendering would quote.
    private const string TextTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:l}{NewLine}{Exception}";

    /// <summary>Makes the logger Serilog's <see cref="Log.Logger"/> until the returned handle is disposed, which flushes it.</summary>
    public static IAsyncDisposable Install(LoggingSettings settings, LogTarget target)
    {
        Log.Logger = Create(settings, target);
        return new Installed();
    }

    public static Serilog.Core.Logger Create(LoggingSettings settings, LogTarget target)
    {
        ITextFormatter formatter = settings.Format == LogFormat.Json
            ? new CloudLoggingJsonFormatter()
            : new MessageTemplateTextFormatter(TextTemplate, CultureInfo.InvariantCulture);
        var sink = target switch
        {
            LogTarget.File => new NodeLogSink(OpenFile(settings.File), formatter, ownsWriter: true),
            LogTarget.StandardError => new NodeLogSink(Console.Error, formatter, ownsWriter: false),
            _ => new NodeLogSink(Console.Out, formatter, ownsWriter: false),
        };
        return new LoggerConfiguration()
            .MinimumLevel.Is(settings.Level)
            // ASP.NET Core's per-request and lifetime chatter says nothing an operator needs.
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .WriteTo.Sink(sink)
            .CreateLogger();
    }

    /// <summary>Appended to, so the runs of a working directory read in order.</summary>
    private static StreamWriter OpenFile(string path)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }

        return new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite));
    }

    private sealed class Installed : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Log.CloseAndFlushAsync();
    }
}
