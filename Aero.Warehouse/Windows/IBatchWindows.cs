namespace Aero.Warehouse.Windows;

/// <summary>
/// How a batch's rows fall into event-time windows, handed to the warehouse with the batch (<see cref="LoadBatch.Windows"/>)
/// so that it writes the partials of exactly the rows it stores, in the same transaction as them and their offsets.
/// </summary>
public interface IBatchWindows
{
    /// <summary>The partials of <paramref name="stored"/>: per window, dimension, key and partition.</summary>
    IReadOnlyList<WindowPartial> Aggregate(IEnumerable<LoadRow> stored);

    /// <summary>The time that places a row in windows, or null for a row without a processed flight.</summary>
    DateTime? EventTime(LoadRow row);
}
