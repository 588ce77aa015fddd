namespace Aero.FakeGcs;

/// <summary>An object the fake bucket holds: visible only once its upload was finalized.</summary>
public sealed record GcsObject(string Bucket, string Name, long Generation, byte[] Data, string ContentType);
