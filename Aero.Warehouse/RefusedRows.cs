using System.Text;
using Aero.Kafka.Messages;

namespace Aero.Warehouse;

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
            var named = batch.Rows
                .Select(row => (row, reason: refused.Rows.FirstOrDefault(r => SamePlace(r.Position, row.Position)).Reason))
                .Where(r => r.reason is not null)
                .ToList();
            if (named.Count > 0)
            {
                // The warehouse said which rows: those are dead letters, stored first and advancing no offset, and the
                // rest is written again as it was (the same work, so a backend that ran part of it adopts that part).
                var letters = named.Select(r => new DeadLetter(Encoding.UTF8.GetBytes(r.row.RawJson), ReasonPrefix + r.reason, r.row.Position)).ToList();
                WarehouseMetrics.RowsRefused.Add(letters.Count);
                var refusedLetters = await writeOnce(batch with { Rows = [], DeadLetters = letters, NextOffsets = new Dictionary<(string, int), long>() }, cancellationToken);
                var rest = await WriteAsync(batch with { Rows = [.. batch.Rows.Except(named.Select(r => r.row))] }, writeOnce, cancellationToken);
                return rest with { DeadLettered = rest.DeadLettered + refusedLetters.DeadLettered, Refused = rest.Refused + letters.Count };
            }

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

    private static bool SamePlace(KafkaPosition a, KafkaPosition b) => a.Topic == b.Topic && a.Partition == b.Partition && a.Offset == b.Offset;

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
