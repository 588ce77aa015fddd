namespace Aero.Streams.Archive;

/// <summary>The archive's target as configured: a GCS bucket when <c>aero.archive.gcs.bucket</c> is set, else the local directory.</summary>
public static class ArchiveTargets
{
    public static async Task<IArchiveTarget> OpenAsync(ArchiveSettings archive, GcsArchiveSettings gcs, CancellationToken cancellation) =>
        gcs.Bucket is null ? new LocalArchiveTarget(archive.Directory) : await GcsArchiveTarget.CreateAsync(gcs, archive.Directory, cancellation);
}
