namespace Aero.Warehouse;

/// <summary>One transaction's worth: rows, dead letters, and the next offset per partition they advance to.</summary>
public sealed record LoadBatch(
    string ClusterId,
    IReadOnlyList<LoadRow> Rows,
    IReadOnlyList<DeadLetter> DeadLetters,
    IReadOnlyDictionary<(string Topic, int Partition), long> NextOffsets);
