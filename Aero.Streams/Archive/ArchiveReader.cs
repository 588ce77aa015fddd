using System.Runtime.CompilerServices;
using Parquet;
using Parquet.Schema;

namespace Aero.Streams.Archive;

/// <summary>Reads archived records back: each one's Kafka position and its key and value bytes as Kafka held them.</summary>
public static class ArchiveReader
{
    public static async IAsyncEnumerable<ArchivedValue> ReadAsync(IArchiveTarget target, ArchiveFile file, [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        await using var stream = await target.OpenReadAsync(file, cancellation);
        await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellation);
        var fields = reader.Schema.GetDataFields().ToDictionary(f => f.Name);
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var rows = checked((int)group.RowCount);
            var offsets = new long[rows];
            await group.ReadAsync<long>(fields[ArchiveColumns.KafkaOffset], offsets.AsMemory(), null, cancellation);
            var keys = await BytesAsync(group, fields[ArchiveColumns.Key], rows, cancellation);
            var values = await BytesAsync(group, fields[ArchiveColumns.Value], rows, cancellation);
            for (var row = 0; row < rows; row++)
            {
                yield return new ArchivedValue(file.Topic, file.Partition, offsets[row], keys[row]?.ToArray(), values[row]?.ToArray() ?? []);
            }
        }
    }

    /// <summary>How many records a file holds, from its footer.</summary>
    public static async Task<long> CountAsync(IArchiveTarget target, ArchiveFile file, CancellationToken cancellation)
    {
        await using var stream = await target.OpenReadAsync(file, cancellation);
        await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellation);
        var count = 0L;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            count += group.RowCount;
        }

        return count;
    }

    private static async Task<ReadOnlyMemory<byte>?[]> BytesAsync(ParquetRowGroupReader group, DataField field, int rows, CancellationToken cancellation)
    {
        var values = new ReadOnlyMemory<byte>?[rows];
        await group.ReadAsync<ReadOnlyMemory<byte>>(field, values.AsMemory(), null, cancellation);
        return values;
    }
}
