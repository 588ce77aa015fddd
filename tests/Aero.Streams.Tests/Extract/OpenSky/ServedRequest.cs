namespace Aero.Streams.Tests.Extract.OpenSky;

/// <summary>A request the scripted server saw: when (server clock), what, and its Authorization header.</summary>
public sealed record ServedRequest(TimeSpan ArrivedAt, string PathAndQuery, string Authorization);
