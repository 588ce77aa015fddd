using System.Collections.Concurrent;

namespace Aero.FakeSparkConnect;

/// <summary>A session, created on first use as Spark creates it, with its server-side id, operations and errors.</summary>
public sealed class FakeSession(string userId, string sessionId)
{
    public string UserId { get; } = userId;

    public string SessionId { get; } = sessionId;

    /// <summary>Changes when the server "restarts" the session, so clients echoing the old one are refused.</summary>
    public string ServerSideSessionId { get; } = Guid.NewGuid().ToString();

    public bool Released { get; internal set; }

    public ConcurrentDictionary<string, FakeOperation> Operations { get; } = new(StringComparer.Ordinal);

    /// <summary>Errors by id, for FetchErrorDetails: class, SQLSTATE, exception class and the full message.</summary>
    internal ConcurrentDictionary<string, (string ErrorClass, string SqlState, string ExceptionClass, string Message)> Errors { get; } = new(StringComparer.Ordinal);
}
