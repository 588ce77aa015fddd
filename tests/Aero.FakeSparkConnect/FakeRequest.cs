namespace Aero.FakeSparkConnect;

/// <summary>
/// A call the fake received. <paramref name="Cursor"/> is ReattachExecute's last_response_id, null when unset (which
/// differs from an empty one); <paramref name="Authorization"/> is the header as sent.
/// </summary>
public sealed record FakeRequest(string Rpc, string SessionId, string? OperationId, string? Cursor, IReadOnlyList<string> Tags, string Authorization);
