using System.Diagnostics.Metrics;

namespace Aero.Streams.Archive;

/// <summary>The raw archive's metrics (meter "Aero.Archive"), exported by the node like the load's.</summary>
public static class ArchiveMetrics
{
    public const string MeterName = "Aero.Archive";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> FilesPublished = Meter.CreateCounter<long>("aero_archive_files_published", description: "Archive files published (renamed from their temporary name)");
    public static readonly Counter<long> RecordsArchived = Meter.CreateCounter<long>("aero_archive_records", description: "Records in published archive files");
    public static readonly Counter<long> FilesDiscarded = Meter.CreateCounter<long>("aero_archive_files_discarded", description: "Files not published: their partition was revoked, or their range was published already");
    public static readonly Counter<long> Holes = Meter.CreateCounter<long>("aero_archive_holes", description: "Offset ranges missing between a partition's published files (or overlapping ones); the archive stops");
    public static readonly Counter<long> FilesDeleted = Meter.CreateCounter<long>("aero_archive_files_deleted", description: "Files deleted by retention, every offset of which the warehouse had stored");
}
