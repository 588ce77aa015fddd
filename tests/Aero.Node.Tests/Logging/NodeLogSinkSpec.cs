using System.Text.Json;
using Aero.Node.Hosting;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Serilog;
using Serilog.Formatting.Display;
using Xunit;

namespace Aero.Node.Tests.Logging;

/// <summary>issue 14 §3: every log line names its real source, and the JSON lines are what Cloud Logging reads.</summary>
public sealed class NodeLogSinkSpec
{
    [Fact]
    public async Task Akka_log_lines_from_string_sources_should_name_that_source_not_DummyClassForStringSources()
    {
        var written = new StringWriter();
        // Writes lock the synchronized writer, so reads under the same lock see whole lines.
        var synchronized = TextWriter.Synchronized(written);
        string Written()
        {
            lock (synchronized)
            {
                return written.ToString();
            }
        }

        var previous = Log.Logger;
        Log.Logger = new LoggerConfiguration()
            .WriteTo.Sink(new NodeLogSink(synchronized, new MessageTemplateTextFormatter("{SourceContext}: {Message:l}{NewLine}"), ownsWriter: false))
            .CreateLogger();
        try
        {
            using var system = ActorSystem.Create("log-source", ConfigurationFactory.ParseString("""akka.loggers = ["Akka.Logger.Serilog.SerilogLogger, Akka.Logger.Serilog"]"""));
            Akka.Event.Logging.GetLogger(system, "the-real-source").Info("from a string source");
            system.Log.Info("from the system's own log");
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            // The logger is an actor: its lines arrive after the calls return, and only while the system runs.
            while (!Written().Contains("from the system's own log", StringComparison.Ordinal) || !Written().Contains("from a string source", StringComparison.Ordinal))
            {
                await Task.Delay(50, deadline.Token);
            }

            await system.Terminate();
        }
        finally
        {
            Log.Logger = previous;
        }

        var log = Written();
        Assert.Contains("the-real-source (akka://log-source): from a string source", log, StringComparison.Ordinal);
        Assert.DoesNotContain("DummyClassForStringSources", log, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_lines_should_carry_severity_time_message_source_and_exception()
    {
        var written = new StringWriter();
        using (var logger = new LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(new NodeLogSink(written, new CloudLoggingJsonFormatter(), ownsWriter: false)).CreateLogger())
        {
            logger.ForContext("SourceContext", "Aero.Example").Information("Stored {Rows} rows", 5000);
            logger.ForContext("SourceContext", "Akka.Event.DummyClassForStringSources").ForContext("LogSource", "Cluster (akka://aero)").Warning("Leader \"moved\"\nand on");
            logger.ForContext("SourceContext", "Aero.Example").Error(new InvalidOperationException("the cause"), "It failed");
        }

        var lines = written.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        var entries = lines.Select(line => JsonDocument.Parse(line).RootElement).ToArray();
        Assert.Equal("INFO | WARNING | ERROR", string.Join(" | ", entries.Select(e => e.GetProperty("severity").GetString())));
        Assert.All(entries, e => Assert.Equal(TimeSpan.Zero, DateTimeOffset.Parse(e.GetProperty("time").GetString()!, System.Globalization.CultureInfo.InvariantCulture).Offset));
        Assert.Equal("Stored 5000 rows | Leader \"moved\"\nand on | It failed", string.Join(" | ", entries.Select(e => e.GetProperty("message").GetString())));
        Assert.Equal("Aero.Example | Cluster (akka://aero) | Aero.Example", string.Join(" | ", entries.Select(e => e.GetProperty("source").GetString())));
        Assert.False(entries[0].TryGetProperty("exception", out _));
        Assert.Contains("System.InvalidOperationException: the cause", entries[2].GetProperty("exception").GetString(), StringComparison.Ordinal);
    }
}
