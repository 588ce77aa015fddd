using System.IO.Compression;

namespace Aero.Streams.Extract;

/// <summary>The one CSV member of a zip, as a stream that closes the archive and its file with it.</summary>
internal sealed class ZipMember : Stream
{
    private readonly ZipArchive archive;
    private readonly Stream member;

    private ZipMember(ZipArchive archive, Stream member)
    {
        this.archive = archive;
        this.member = member;
    }

    /// <exception cref="InvalidDataException">The zip holds no .csv or more than one: which one is the flights is unknown.</exception>
    public static Stream Open(Stream file, string path)
    {
        var archive = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: false);
        try
        {
            var csvs = archive.Entries.Where(entry => entry.FullName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)).ToList();
            return csvs.Count == 1
                ? new ZipMember(archive, new BufferedStream(csvs[0].Open(), 64 * 1024))
                : throw new InvalidDataException($"{path}: a zip is read when it holds exactly one .csv; this one holds {csvs.Count} ({string.Join(", ", csvs.Select(entry => entry.FullName))})");
        }
        catch
        {
            archive.Dispose();
            throw;
        }
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => member.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => member.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => member.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => member.ReadAsync(buffer, offset, count, cancellationToken);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            member.Dispose();
            archive.Dispose();
        }

        base.Dispose(disposing);
    }
}
