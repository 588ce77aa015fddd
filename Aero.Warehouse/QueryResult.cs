namespace Aero.Warehouse;

/// <summary>A result set as the warehouse returned it: column names and types, and rows of CLR values (null for SQL NULL).</summary>
public sealed record QueryResult(IReadOnlyList<QueryColumn> Columns, IReadOnlyList<object?[]> Rows)
{
    public static QueryResult Empty { get; } = new([], []);
}
