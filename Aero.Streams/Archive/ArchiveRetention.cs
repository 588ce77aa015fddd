using System.Diagnostics;
using Akka.Event;

namespace Aero.Streams.Archive;

/// <summary>
/// Deletes archive files past <c>aero.archive.retention-days</c>, per partition from its lowest offsets up, and stops
/// at the first file that must stay: one still within retention, one holding an offset the warehouse has not stored
/// (<paramref name="storedOffsets"/>: the warehouse's next offset per partition), or the partition's newest file, whose
/// last offset is where the archive resumes. So retention never opens a hole between files nor loses a record the
/// warehouse lacks.
/// </summary>
public sealed class ArchiveRetention(
    IArchiveTarget target, ArchiveSettings settings, string topic, Func<CancellationToken, Task<IReadOnlyDictionary<int, long>>> storedOffsets, ILoggingAdapter log)
{
    private long? _lastCheck;

    /// <summary>Prunes when retention is on and <c>retention-check-interval</c> has passed since the last time.</summary>
    public async Task MaybePruneAsync(CancellationToken cancellation)
    {
        if (settings.RetentionDays == 0 || (_lastCheck is { } last && Stopwatch.GetElapsedTime(last) < settings.RetentionCheckInterval))
        {
            return;
        }

        _lastCheck = Stopwatch.GetTimestamp();
        IReadOnlyList<ArchiveFile> deleted;
        try
        {
            deleted = await PruneAsync(DateOnly.FromDateTime(DateTime.UtcNow), cancellation);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // Nothing is lost by keeping files longer: the archive goes on, and retention tries again next interval.
            log.Warning(error, "Archive retention could not run (the warehouse's offsets or the archive's files could not be read); it tries again in {0}", settings.RetentionCheckInterval);
            return;
        }

        if (deleted.Count > 0)
        {
            log.Info("Archive retention ({0} days) deleted {1} files, the warehouse having stored all their records: {2}", settings.RetentionDays, deleted.Count, string.Join(", ", deleted));
        }
    }

    /// <summary>Deletes what retention allows on <paramref name="today"/>; returns the files deleted.</summary>
    public async Task<IReadOnlyList<ArchiveFile>> PruneAsync(DateOnly today, CancellationToken cancellation)
    {
        var oldestKept = today.AddDays(-settings.RetentionDays);
        var stored = await storedOffsets(cancellation);
        var deleted = new List<ArchiveFile>();
        foreach (var partition in (await target.ListAsync(cancellation)).Where(f => f.Topic == topic).GroupBy(f => f.Partition))
        {
            var ordered = partition.OrderBy(f => f.FirstOffset).ToList();
            var warehouseNext = stored.TryGetValue(partition.Key, out var next) ? next : 0;
            foreach (var file in ordered.Take(ordered.Count - 1).TakeWhile(f => f.Date < oldestKept && f.LastOffset < warehouseNext))
            {
                await target.DeleteAsync(file, cancellation);
                ArchiveMetrics.FilesDeleted.Add(1);
                deleted.Add(file);
            }
        }

        return deleted;
    }
}
