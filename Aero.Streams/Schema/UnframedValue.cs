namespace Aero.Streams.Schema;

/// <summary>A framed value's JSON, once its schema id was found and its schema accepted it; or why not.</summary>
public readonly record struct UnframedValue(byte[]? Json, string? Rejection)
{
    public static UnframedValue Of(byte[] json) => new(json, null);

    public static UnframedValue Rejected(string reason) => new(null, reason);
}
