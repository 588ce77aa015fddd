namespace Aero.FakeGcs;

/// <summary>
/// A scripted answer for the next request whose method and path match: an HTTP status (429, 5xx) instead of the real
/// answer, or, with <see cref="CutOff"/>, the connection dropped after the request's body was read (a crash mid-upload).
/// </summary>
public sealed record GcsFault(string Method, string PathContains, int Status, bool CutOff = false);
