using Akka.Event;

namespace Aero.Warehouse.BigQuery;

/// <summary>
/// Warnings and errors to standard error, for a warehouse opened before (or without) an actor system, so that an
/// alarm such as quotaExceeded is never logged nowhere.
/// </summary>
internal sealed class StandardErrorLog() : LoggingAdapterBase(DefaultLogMessageFormatter.Instance)
{
    public override bool IsDebugEnabled => false;

    public override bool IsInfoEnabled => false;

    public override bool IsWarningEnabled => true;

    public override bool IsErrorEnabled => true;

    protected override void NotifyLog(LogLevel logLevel, object message, Exception? cause = null) =>
        Console.Error.WriteLine($"[{DateTime.UtcNow:O}] [{(logLevel == LogLevel.ErrorLevel ? "ERROR" : "WARNING")}] [BigQuery] {message}");
}
