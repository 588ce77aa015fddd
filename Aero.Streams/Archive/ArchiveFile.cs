using System.Globalization;
using System.Text.RegularExpressions;

namespace Aero.Streams.Archive;

/// <summary>
/// A published archive file: the event date it sits under (<c>date=YYYY-MM-DD/</c>, Hive-style, so DuckDB, BigQuery and
/// Spark filter on it) and its name, <c>{topic}-p{partition}-{first}-{last}.parquet</c>: the offset range it covers,
/// both ends included, zero-padded so names sort by offset. The ranges of a partition's files tile its log: a file
/// starts right after the previous one's last offset, so offsets Kafka never delivered (compaction, transaction
/// markers) fall inside a range and are not mistaken for a hole.
/// </summary>
public sealed partial record ArchiveFile(DateOnly Date, string Topic, int Partition, long FirstOffset, long LastOffset)
{
    public const string Extension = ".parquet";

    /// <summary>The directory of a date, relative to the archive's root.</summary>
    public static string DateDirectory(DateOnly date) => "date=" + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public string Name => string.Create(CultureInfo.InvariantCulture, $"{Topic}-p{Partition}-{FirstOffset:D19}-{LastOffset:D19}{Extension}");

    /// <summary>The path relative to the archive's root, with '/' between its parts.</summary>
    public string RelativePath => DateDirectory(Date) + "/" + Name;

    /// <summary>The file at <paramref name="relativePath"/> (<c>date=.../name</c>), or null for one the archive did not write.</summary>
    public static ArchiveFile? TryParse(string relativePath)
    {
        var match = PathPattern().Match(relativePath.Replace('\\', '/'));
        if (!match.Success
            || !DateOnly.TryParseExact(match.Groups["date"].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            || !int.TryParse(match.Groups["partition"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
            || !long.TryParse(match.Groups["first"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            || !long.TryParse(match.Groups["last"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            || last < first)
        {
            return null;
        }

        return new ArchiveFile(date, match.Groups["topic"].Value, partition, first, last);
    }

    public override string ToString() => RelativePath;

    [GeneratedRegex(@"^date=(?<date>\d{4}-\d{2}-\d{2})/(?<topic>.+)-p(?<partition>\d+)-(?<first>\d{19})-(?<last>\d{19})\.parquet$", RegexOptions.CultureInvariant)]
    private static partial Regex PathPattern();
}
