using System.Collections.Concurrent;
using Akka.Event;

namespace Aero.Warehouse.Tests.BigQuery;

/// <summary>A logging adapter that keeps what was logged, to check alarms and that no secret was written.</summary>
internal sealed class RecordingLog() : LoggingAdapterBase(DefaultLogMessageFormatter.Instance)
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

    public override bool IsDebugEnabled => true;

    public override bool IsInfoEnabled => true;

    public override bool IsWarningEnabled => true;

    public override bool IsErrorEnabled => true;

    public IEnumerable<string> Errors => Entries.Where(e => e.Level == LogLevel.ErrorLevel).Select(e => e.Message);

    protected override void NotifyLog(LogLevel logLevel, object message, Exception? cause = null) =>
        Entries.Enqueue((logLevel, message.ToString() ?? string.Empty));
}
