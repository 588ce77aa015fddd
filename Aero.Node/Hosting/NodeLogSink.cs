using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace Aero.Node.Hosting;

/// <summary>
/// Writes each event whole, one at a time, to a text writer (a file or a standard stream), naming its real source:
/// Akka's loggers created from a string (the cluster, remoting, stream stages) carry the class
/// <c>Akka.Event.DummyClassForStringSources</c> as their source context and the real source in <c>LogSource</c>.
/// </summary>
public sealed class NodeLogSink(TextWriter writer, ITextFormatter formatter, bool ownsWriter) : ILogEventSink, IDisposable
{
    private const string StringSourceClass = "Akka.Event.DummyClassForStringSources";
    private const string SourceContext = "SourceContext";
    private readonly Lock _lock = new();

    public void Emit(LogEvent logEvent)
    {
        if (logEvent.Properties.TryGetValue(SourceContext, out var context) && context is ScalarValue { Value: StringSourceClass }
            && logEvent.Properties.TryGetValue("LogSource", out var source) && source is ScalarValue { Value: string name })
        {
            logEvent.AddOrUpdateProperty(new LogEventProperty(SourceContext, new ScalarValue(name)));
        }

        lock (_lock)
        {
            formatter.Format(logEvent, writer);
            writer.Flush();
        }
    }

    public void Dispose()
    {
        if (ownsWriter)
        {
            writer.Dispose();
        }
    }
}
