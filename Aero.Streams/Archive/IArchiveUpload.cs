namespace Aero.Streams.Archive;

/// <summary>One file being written under its temporary name; disposed without being published, it is deleted.</summary>
public interface IArchiveUpload : IAsyncDisposable
{
    Stream Stream { get; }

    /// <summary>
    /// Makes the file durable and visible as <paramref name="file"/>; false (and the temporary file deleted) when a file
    /// of that name was published already, which is then left as it was.
    /// </summary>
    Task<bool> PublishAsync(ArchiveFile file, CancellationToken cancellation);
}
