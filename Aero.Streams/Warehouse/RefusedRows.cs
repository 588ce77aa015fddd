using System.Text;

namespace Aero.Streams.Warehouse;

/// <summary>
/// Every backend's write goes through here: a batch the warehouse refuses for its data (<see cref="RowsRefusedException"/>)
/// is split in two, in Kafka order, and each half written on its own, until the refused rows stand alone; each of those
/// becomes a dead letter with the warehouse's reason. Left failing, such a batch would fail its graph on every restart.
/// </summary>
public static class RefusedRows
{
    /// <summary>What a refused row's dead letter reason starts with; the warehouse's own reason follows.</summary>
    public const string ReasonPrefix = "refused by the warehouse: ";

    /// <summary>
    /// Writes <paramref name="batch"/> with <paramref name="writeOnce"/>, one atomic attempt. The first half of a split
    /// batch advances each of its partitions to just past its own records, the second half to the batch's next offsets,
    /// so the stored offsets never pass a record that is not stored or dead-lettered.
    /// </summary>
    public static async Task<WriteResult> WriteAsync(LoadBatch batch, Func<LoadBatch, CancellationToken, Task<WriteResult>> writeOnce, CancellationToken cancellationToken)
    {
        try
        {
            return await writeOnce(batch, cancellationToken);
        }
        catch (RowsRefusedException refused) when (batch.Rows.Count > 0)
        {
            if (batch.Rows.Count == 1)
            {
                var row = batch.Rows[0];
                var letter = new DeadLetter(Encoding.UTF8.GetBytes(row.RawJson), ReasonPrefix + refused.Message, row.Position);
                WarehouseMetrics.RowsRefused.Add(1);
                var alone = await writeOnce(batch with { Rows = [], DeadLetters = [.. batch.DeadLetters, letter] }, cancellationToken);
                return alone with { Refused = alone.Refused + 1 };
            }

            var (first, second) = Split(batch);
            var a = await WriteAsync(first, writeOnce, cancellationToken);
            var b = await WriteAsync(second, writeOnce, cancellationToken);
            return new WriteResult(a.Inserted + b.Inserted, a.AlreadyStored + b.AlreadyStored, a.DeadLettered + b.DeadLettered, a.Refused + b.Refused, a.Fenced + b.Fenced);
        }
    }

    /// <summary>Halves by rows in Kafka order; dead letters go with the half their position falls in (before the middle row or not).</summary>
    private static (LoadBatch First, LoadBatch Second) Split(LoadBatch batch)
    {
        var rows = batch.Rows.OrderBy(r => r.Position.Topic, StringComparer.Ordinal).ThenBy(r => r.Position.Partition).ThenBy(r => r.Position.Offset).ToList();
        var cut = rows[rows.Count / 2].Position;
        bool Before(KafkaPosition p) =>
            (string.CompareOrdinal(p.Topic, cut.Topic), p.Partition.CompareTo(cut.Partition), p.Offset.CompareTo(cut.Offset)) switch
            {
                ( < 0, _, _) => true,
                (0, < 0, _) => true,
                (0, 0, < 0) => true,
                _ => false,
            };

        var firstRows = rows[..(rows.Count / 2)];
        var firstLetters = batch.DeadLetters.Where(d => Before(d.Position)).ToList();
        var firstNext = firstRows.Select(r => r.Position).Concat(firstLetters.Select(d => d.Position))
            .GroupBy(p => (p.Topic, p.Partition))
            .ToDictionary(g => g.Key, g => g.Max(p => p.Offset) + 1);
        var first = batch with { Rows = firstRows, DeadLetters = firstLetters, NextOffsets = firstNext };
        var second = batch with
        {
            Rows = rows[(rows.Count / 2)..],
            DeadLetters = [.. batch.DeadLetters.Where(d => !Before(d.Position))],
        };
        return (first, second);
    }
}
