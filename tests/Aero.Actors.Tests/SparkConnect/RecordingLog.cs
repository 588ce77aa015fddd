using System.Collections.Concurrent;
using Akka.Event;

namespace Aero.Actors.Tests.SparkConnect;

/// <summary>A log that keeps every line, formatted, at every level, as it is written.</summary>
internal sealed class RecordingLog() : LoggingAdapterBase(DefaultLogMessageFormatter.Instance)
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public override bool IsDebugEnabled => true;

    public override bool IsInfoEnabled => true;

    public override bool IsWarningEnabled => true;

    public override bool IsErrorEnabled => true;

    protected override void NotifyLog(LogLevel logLevel, object message, Exception cause) =>
        _lines.Enqueue($"{logLevel}: {message} {cause}");
}
