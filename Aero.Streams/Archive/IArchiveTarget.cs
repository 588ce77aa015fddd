namespace Aero.Streams.Archive;

/// <summary>
/// Where archive files live. A file is written under a temporary name no reader looks at and then published whole
/// under its final name, never overwriting one published already: so readers never see a partial file, and what is
/// published is the archive's progress.
/// </summary>
public interface IArchiveTarget
{
    /// <summary>Where the files are, for logs and <c>aero archive list</c>.</summary>
    string Description { get; }

    /// <summary>Every published file, in no particular order.</summary>
    Task<IReadOnlyList<ArchiveFile>> ListAsync(CancellationToken cancellation);

    /// <summary>A new temporary file of <paramref name="topic"/>'s <paramref name="partition"/>, to write and then publish.</summary>
    Task<IArchiveUpload> BeginAsync(string topic, int partition, CancellationToken cancellation);

    /// <summary>Deletes the temporary files a crashed writer of this partition left behind.</summary>
    Task DiscardTemporariesAsync(string topic, int partition, CancellationToken cancellation);

    Task<Stream> OpenReadAsync(ArchiveFile file, CancellationToken cancellation);

    Task DeleteAsync(ArchiveFile file, CancellationToken cancellation);
}
