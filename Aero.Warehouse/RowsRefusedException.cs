using Aero.Kafka.Messages;

namespace Aero.Warehouse;

/// <summary>
/// The warehouse refused rows of a batch for their data (a value no column of its can hold, a NOT NULL column without
/// one), not for trouble of its own: nothing of that attempt is stored, and writing it again would fail the same way.
/// <see cref="RefusedRows"/> splits such a batch until the refused rows are found and dead-lettered. Lost connections,
/// timeouts and the like never take this type: they fail the graph, which retries with back-off.
/// </summary>
public sealed class RowsRefusedException : Exception
{
    public RowsRefusedException(string reason, Exception innerException)
        : base(reason, innerException)
    {
    }

    /// <summary>A refusal that names the refused rows (by Kafka position), each with the warehouse's reason.</summary>
    public RowsRefusedException(string reason, Exception innerException, IReadOnlyList<(KafkaPosition Position, string Reason)> rows)
        : base(reason, innerException)
    {
        Rows = rows;
    }

    /// <summary>The refused rows, when the warehouse said which; empty when the batch must be split to find them.</summary>
    public IReadOnlyList<(KafkaPosition Position, string Reason)> Rows { get; } = [];

    public RowsRefusedException(string reason)
        : base(reason)
    {
    }

    public RowsRefusedException()
        : base("the warehouse refused rows of the batch")
    {
    }
}
