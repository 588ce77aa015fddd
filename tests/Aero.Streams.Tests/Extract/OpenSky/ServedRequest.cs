namespace Aero.Streams.Tests.Extract.OpenSky;

/// <summary>
/// A request the scripted server saw: when (on the server's monotonic clock, and on the wall clock for HTTP dates),
/// what, and its Authorization header.
/// </summary>
public sealed record ServedRequest(TimeSpan ArrivedAt, DateTimeOffset ArrivedAtUtc, string PathAndQuery, string Authorization);
