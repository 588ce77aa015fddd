namespace Aero.Streams.Archive;

/// <summary>
/// An archive in a local directory: files are written in <c>_incoming/</c> (which Hive-style readers skip) and published
/// by a rename within the same file system, atomic, after the data was flushed to disk.
/// </summary>
public sealed class LocalArchiveTarget : IArchiveTarget
{
    private const string Incoming = "_incoming";
    private const string TemporaryExtension = ".tmp";

    public LocalArchiveTarget(string directory)
    {
        Root = Path.GetFullPath(directory);
        Directory.CreateDirectory(Path.Combine(Root, Incoming));
    }

    public string Root { get; }

    public string Description => Root;

    public Task<IReadOnlyList<ArchiveFile>> ListAsync(CancellationToken cancellation)
    {
        var files = new List<ArchiveFile>();
        foreach (var dateDirectory in Directory.EnumerateDirectories(Root, "date=*"))
        {
            foreach (var path in Directory.EnumerateFiles(dateDirectory, "*" + ArchiveFile.Extension))
            {
                if (ArchiveFile.TryParse(Path.GetRelativePath(Root, path)) is { } file)
                {
                    files.Add(file);
                }
            }
        }

        return Task.FromResult<IReadOnlyList<ArchiveFile>>(files);
    }

    public Task<IArchiveUpload> BeginAsync(string topic, int partition, CancellationToken cancellation) =>
        Task.FromResult<IArchiveUpload>(new Upload(this, TemporaryPath(topic, partition)));

    /// <summary>A new temporary file's path for <paramref name="topic"/>'s <paramref name="partition"/>, which <see cref="DiscardTemporariesAsync"/> deletes.</summary>
    public string TemporaryPath(string topic, int partition) =>
        Path.Combine(Root, Incoming, $"{TemporaryPrefix(topic, partition)}{Guid.NewGuid():N}{TemporaryExtension}");

    public Task DiscardTemporariesAsync(string topic, int partition, CancellationToken cancellation)
    {
        foreach (var path in Directory.EnumerateFiles(Path.Combine(Root, Incoming), TemporaryPrefix(topic, partition) + "*" + TemporaryExtension))
        {
            File.Delete(path);
        }

        return Task.CompletedTask;
    }

    public Task<Stream> OpenReadAsync(ArchiveFile file, CancellationToken cancellation) =>
        Task.FromResult<Stream>(new FileStream(PathOf(file), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: false));

    public Task DeleteAsync(ArchiveFile file, CancellationToken cancellation)
    {
        File.Delete(PathOf(file));
        return Task.CompletedTask;
    }

    /// <summary>The file's full path.</summary>
    public string PathOf(ArchiveFile file) => Path.Combine(Root, ArchiveFile.DateDirectory(file.Date), file.Name);

    // The partition's number ends with a dash, so partition 1's prefix is not partition 12's.
    private static string TemporaryPrefix(string topic, int partition) => $"{topic}-p{partition}-";

    private sealed class Upload(LocalArchiveTarget target, string path) : IArchiveUpload
    {
        private readonly FileStream _stream = new(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, useAsync: false);
        private bool _published;

        public Stream Stream => _stream;

        public async Task<bool> PublishAsync(ArchiveFile file, CancellationToken cancellation)
        {
            await _stream.FlushAsync(cancellation);
            // On disk before it is visible: a crash after the rename must not leave a published file with holes.
            _stream.Flush(flushToDisk: true);
            await _stream.DisposeAsync();
            var final = target.PathOf(file);
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            if (File.Exists(final))
            {
                File.Delete(path);
                return false;
            }

            File.Move(path, final, overwrite: false);
            _published = true;
            return true;
        }

        public async ValueTask DisposeAsync()
        {
            await _stream.DisposeAsync();
            if (!_published)
            {
                File.Delete(path);
            }
        }
    }
}
