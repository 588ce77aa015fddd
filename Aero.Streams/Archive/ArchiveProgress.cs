using System.Globalization;

namespace Aero.Streams.Archive;

/// <summary>
/// Where the archive stands, read from its published files alone: per partition, the offset after its last file. The
/// files of a partition must tile its log (each starts right after the previous one's last offset); a gap between
/// them is records missing from the archive, and an overlap records in it twice: either is an alarm.
/// </summary>
public static class ArchiveProgress
{
    /// <summary>The next offset of each partition of <paramref name="topic"/> that has files.</summary>
    /// <exception cref="ArchiveHoleException">The files of a partition leave a gap or overlap.</exception>
    public static IReadOnlyDictionary<int, long> NextOffsets(IEnumerable<ArchiveFile> files, string topic)
    {
        var next = new Dictionary<int, long>();
        foreach (var partition in files.Where(f => f.Topic == topic).GroupBy(f => f.Partition))
        {
            if (Problems(partition).FirstOrDefault() is { } problem)
            {
                ArchiveMetrics.Holes.Add(1);
                throw new ArchiveHoleException(problem);
            }

            next[partition.Key] = partition.Max(f => f.LastOffset) + 1;
        }

        return next;
    }

    /// <summary>Each gap or overlap between consecutive files of one partition, said in words.</summary>
    public static IEnumerable<string> Problems(IEnumerable<ArchiveFile> partitionFiles)
    {
        ArchiveFile? previous = null;
        foreach (var file in partitionFiles.OrderBy(f => f.FirstOffset).ThenBy(f => f.LastOffset))
        {
            if (previous is not null && file.FirstOffset != previous.LastOffset + 1)
            {
                yield return file.FirstOffset > previous.LastOffset + 1
                    ? string.Create(CultureInfo.InvariantCulture, $"{file.Topic}[{file.Partition}]: offsets {previous.LastOffset + 1}-{file.FirstOffset - 1} are in no archive file (between {previous} and {file})")
                    : string.Create(CultureInfo.InvariantCulture, $"{file.Topic}[{file.Partition}]: offsets {file.FirstOffset}-{Math.Min(previous.LastOffset, file.LastOffset)} are in two archive files ({previous} and {file})");
            }

            previous = previous is null || file.LastOffset > previous.LastOffset ? file : previous;
        }
    }
}
