namespace Aero.Warehouse.Windows;

/// <summary>What every backend writes of a batch's windows: the partials of the rows it stored, and each partition's highest event time.</summary>
public static class WindowBatch
{
    /// <summary>
    /// Per partition the batch advances (fenced ones are gone from it), the highest event time of its rows, stored or
    /// not: a record stored before was seen by the partition all the same.
    /// </summary>
    public static IReadOnlyDictionary<(string Topic, int Partition), DateTime> MaxEventTimes(LoadBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var max = new Dictionary<(string Topic, int Partition), DateTime>();
        if (batch.Windows is not { } windows)
        {
            return max;
        }

        foreach (var row in batch.Rows)
        {
            var key = (row.Position.Topic, row.Position.Partition);
            if (batch.NextOffsets.ContainsKey(key) && windows.EventTime(row) is { } time && (!max.TryGetValue(key, out var known) || time > known))
            {
                max[key] = time;
            }
        }

        return max;
    }

    /// <summary>The partials of the rows stored now; none when the batch has no windows.</summary>
    public static IReadOnlyList<WindowPartial> Partials(LoadBatch batch, IEnumerable<LoadRow> stored)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return batch.Windows is { } windows ? windows.Aggregate(stored) : [];
    }
}
