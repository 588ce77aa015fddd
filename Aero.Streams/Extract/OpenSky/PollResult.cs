namespace Aero.Streams.Extract.OpenSky;

/// <summary>The body of a poll, or why there is none and how long the server asked us to wait.</summary>
internal readonly record struct PollResult(byte[]? Body, string? Failure, TimeSpan? RetryAfter);
