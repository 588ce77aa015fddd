using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;

namespace Aero.Node.Hosting;

/// <summary>
/// One JSON object per line in the shape Google Cloud Logging reads from a container's output: <c>severity</c>
/// (DEBUG, INFO, WARNING, ERROR, CRITICAL), <c>time</c> (RFC 3339, UTC), <c>message</c> (rendered), <c>source</c>
/// (the logging class or Akka source), and <c>exception</c> (type, message and stack trace) when there is one.
/// </summary>
public sealed class CloudLoggingJsonFormatter : ITextFormatter
{
    // Values as they read in text, not quoted as Serilog's default rendering quotes strings.
    private static readonly MessageTemplateTextFormatter Message = new("{Message:l}", CultureInfo.InvariantCulture);
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public void Format(LogEvent logEvent, TextWriter output)
    {
        var message = new StringWriter(CultureInfo.InvariantCulture);
        Message.Format(logEvent, message);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("severity", Severity(logEvent.Level));
            json.WriteString("time", logEvent.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("message", message.ToString());
            json.WriteString("source", logEvent.Properties.TryGetValue("SourceContext", out var source) && source is ScalarValue { Value: { } name } ? name.ToString() : "aero");
            if (logEvent.Exception is { } exception)
            {
                json.WriteString("exception", exception.ToString());
            }

            json.WriteEndObject();
        }

        output.Write(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        output.Write('\n');
    }

    private static string Severity(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose or LogEventLevel.Debug => "DEBUG",
        LogEventLevel.Information => "INFO",
        LogEventLevel.Warning => "WARNING",
        LogEventLevel.Error => "ERROR",
        _ => "CRITICAL",
    };
}
