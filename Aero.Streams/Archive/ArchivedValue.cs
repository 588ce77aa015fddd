namespace Aero.Streams.Archive;

/// <summary>An archived record as a replay needs it: where it sat, and its key and value bytes.</summary>
public sealed record ArchivedValue(string Topic, int Partition, long Offset, byte[]? Key, byte[] Value);
