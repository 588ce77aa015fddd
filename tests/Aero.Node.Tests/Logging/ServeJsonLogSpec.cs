using System.Text.Json;
using Xunit;

namespace Aero.Node.Tests.Logging;

/// <summary>issue 14 §2 and §3: <c>aero serve</c> is the long-running node; with <c>--log-format json</c> its every line is a Cloud Logging entry.</summary>
public sealed class ServeJsonLogSpec : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly string _directory = Directory.CreateTempSubdirectory("aero-serve-").FullName;

    [Fact]
    public async Task Serve_should_log_one_json_object_per_line_until_sigterm_then_drain_and_exit_0()
    {
        using var serve = AeroProcess.StartAero(_directory, null, "serve", "--log-format", "json");
        await serve.WaitForOutputAsync("Graph load started", Timeout);
        await serve.WaitForOutputAsync("Serving; SIGTERM drains", Timeout);

        serve.Terminate();

        Assert.Equal(0, await serve.ExitCodeAsync(Timeout));
        var lines = serve.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length > 10, serve.Output);
        var entries = lines.Select(line => Parse(line, serve.Output)).ToList();
        Assert.All(entries, entry =>
        {
            Assert.Contains(entry.GetProperty("severity").GetString(), (string[])["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]);
            Assert.True(DateTimeOffset.TryParse(entry.GetProperty("time").GetString(), out _), entry.ToString());
            Assert.False(string.IsNullOrEmpty(entry.GetProperty("message").GetString()), entry.ToString());
            Assert.NotEqual("Akka.Event.DummyClassForStringSources", entry.GetProperty("source").GetString());
        });
        Assert.Contains(entries, e => e.GetProperty("source").GetString() == "Aero.Actors.Ingest.PipelineActor" && e.GetProperty("message").GetString() == "Draining pipeline load");
        Assert.Contains(entries, e => e.GetProperty("message").GetString()!.StartsWith("summary: ", StringComparison.Ordinal));
        // Akka's last line, written after its loggers stopped, is a JSON entry like the others.
        Assert.Contains(entries, e => e.GetProperty("source").GetString() == "remoting-terminator" && e.GetProperty("message").GetString() == "Remoting shut down.");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static JsonElement Parse(string line, string output)
    {
        try
        {
            return JsonDocument.Parse(line).RootElement;
        }
        catch (JsonException error)
        {
            throw new Xunit.Sdk.XunitException($"Not a JSON line ({error.Message}): {line}\nOutput:\n{output}");
        }
    }
}
