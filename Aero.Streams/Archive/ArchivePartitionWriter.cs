using System.Diagnostics;
using Aero.Kafka.Messages;
using Akka.Event;
using Parquet;

namespace Aero.Streams.Archive;

/// <summary>
/// Writes one assigned partition's records into archive files, one open file at a time: a file holds one event date
/// and a contiguous offset range, and is published when it reaches <c>max-file-bytes</c>, waited <c>max-file-age</c>,
/// or a record of another date comes (data in event order makes few files; data that jumps between dates makes
/// small ones, counted by <c>aero_archive_files_published</c>). A file's range starts right after the previous file's
/// last offset (or where the partition resumed), so the ranges tile the log with no hole between them.
/// Not thread-safe: the partition's stream calls it one chunk at a time.
/// </summary>
public sealed class ArchivePartitionWriter(IArchiveTarget target, ArchiveSettings settings, string topic, int partition, long? resumeAt, ILoggingAdapter log)
{
    private readonly ParquetOptions _options = new() { CompressionMethod = settings.Compression, CompressionLevel = settings.CompressionLevel };
    private OpenFile? _open;
    private long? _nextFirst = resumeAt;

    /// <summary>Appends a chunk of records (in offset order); returns the files it published.</summary>
    public async Task<IReadOnlyList<PublishedFile>> AppendAsync(IReadOnlyList<ArchivedRecord> records, CancellationToken cancellation)
    {
        var published = new List<PublishedFile>();
        foreach (var record in records)
        {
            if (_open is not null && (_open.Date != record.Date || _open.Bytes >= settings.MaxFileBytes))
            {
                await PublishAsync(published, cancellation);
            }

            _open ??= await OpenAsync(record, cancellation);
            _open.Add(record);
            if (_open.Buffered.Count >= settings.RowGroupRows)
            {
                await _open.FlushRowGroupAsync();
            }
        }

        if (_open is not null && Stopwatch.GetElapsedTime(_open.Opened) >= settings.MaxFileAge)
        {
            await PublishAsync(published, cancellation);
        }

        return published;
    }

    /// <summary>
    /// The partition's stream ended: the open file is published when the partition is still this consumer's (the stream
    /// is draining), and discarded when it was revoked, since its next owner resumes after the last published file.
    /// </summary>
    public async Task<IReadOnlyList<PublishedFile>> CompleteAsync(CancellationToken cancellation)
    {
        var published = new List<PublishedFile>();
        if (_open is not null)
        {
            await PublishAsync(published, cancellation);
        }

        return published;
    }

    private async Task<OpenFile> OpenAsync(ArchivedRecord first, CancellationToken cancellation)
    {
        var upload = await target.BeginAsync(topic, partition, cancellation);
        try
        {
            var writer = await ParquetWriter.CreateAsync(ArchiveColumns.Schema, upload.Stream, _options, cancellationToken: cancellation);
            return new OpenFile(upload, writer, first.Date, _nextFirst ?? first.Offset.Offset);
        }
        catch
        {
            await upload.DisposeAsync();
            throw;
        }
    }

    private async Task PublishAsync(List<PublishedFile> published, CancellationToken cancellation)
    {
        var open = _open!;
        _open = null;
        await using (open)
        {
            var last = open.LastOffset!;
            var file = new ArchiveFile(open.Date, topic, partition, open.FirstOffset, last.Offset);
            await open.CloseWriterAsync();
            // Revoked: the partition's next owner resumes after the last published file, and writes this range itself.
            if (last.IsRevoked)
            {
                log.Info("Archive: {0}[{1}] was revoked; its unpublished records {2}-{3} are left to its next owner", topic, partition, file.FirstOffset, file.LastOffset);
                ArchiveMetrics.FilesDiscarded.Add(1);
                return;
            }

            if (!await open.Upload.PublishAsync(file, cancellation))
            {
                // Only a writer that lost the partition without noticing could have published this range already.
                log.Warning("Archive: {0} was published already; this copy is discarded", file);
                ArchiveMetrics.FilesDiscarded.Add(1);
            }
            else
            {
                ArchiveMetrics.FilesPublished.Add(1);
                ArchiveMetrics.RecordsArchived.Add(open.Records);
                published.Add(new PublishedFile(file, open.Records, last));
            }

            _nextFirst = file.LastOffset + 1;
        }
    }

    private sealed class OpenFile(IArchiveUpload upload, ParquetWriter writer, DateOnly date, long firstOffset) : IAsyncDisposable
    {
        private bool _writerClosed;

        public IArchiveUpload Upload { get; } = upload;

        public DateOnly Date { get; } = date;

        public long FirstOffset { get; } = firstOffset;

        public long Opened { get; } = Stopwatch.GetTimestamp();

        public List<ArchivedRecord> Buffered { get; } = [];

        public long Bytes { get; private set; }

        public long Records { get; private set; }

        public CommittableOffset? LastOffset { get; private set; }

        public void Add(ArchivedRecord record)
        {
            Buffered.Add(record);
            Bytes += record.Value.Length;
            Records++;
            LastOffset = record.Offset;
        }

        public async Task FlushRowGroupAsync()
        {
            await ArchiveColumns.WriteRowGroupAsync(writer, Buffered);
            Buffered.Clear();
        }

        /// <summary>Writes the last row group and the footer.</summary>
        public async Task CloseWriterAsync()
        {
            if (Buffered.Count > 0)
            {
                await FlushRowGroupAsync();
            }

            _writerClosed = true;
            await writer.DisposeAsync();
        }

        public async ValueTask DisposeAsync()
        {
            if (!_writerClosed)
            {
                _writerClosed = true;
                // The file is deleted next, whatever its footer became.
                await writer.DisposeAsync();
            }

            await Upload.DisposeAsync();
        }
    }
}
