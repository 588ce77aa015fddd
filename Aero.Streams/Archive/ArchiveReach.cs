using System.Collections.Concurrent;

namespace Aero.Streams.Archive;

/// <summary>
/// How far the archive has read each partition (its next offset), published or not: what <c>aero run --once --archive</c>
/// waits for before it drains, since the drain publishes the files being written.
/// </summary>
public sealed class ArchiveReach
{
    private readonly ConcurrentDictionary<int, long> _next = new();

    public void Appended(int partition, long nextOffset) => _next.AddOrUpdate(partition, nextOffset, (_, before) => Math.Max(before, nextOffset));

    /// <summary>Records read, summed over partitions, for telling progress from a stall.</summary>
    public long Total => _next.Values.Sum();

    public bool Reached(IReadOnlyDictionary<int, long> logEnd) => logEnd.All(end => end.Value == 0 || _next.GetValueOrDefault(end.Key) >= end.Value);
}
