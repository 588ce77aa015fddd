using Apache.Arrow;

namespace Aero.Actors.Jobs.SparkConnect;

/// <summary>
/// What a Spark Connect operation returned: its Arrow schema and its rows, decoded, in the server's order.
/// <see cref="RowCount"/> is the sum of the batches' declared row counts, checked against the rows decoded.
/// </summary>
public sealed record SparkSqlResult(string OperationId, Schema Schema, IReadOnlyList<IReadOnlyList<object?>> Rows, long RowCount)
{
    public IReadOnlyList<string> Columns => [.. Schema.FieldsList.Select(column => column.Name)];
}
