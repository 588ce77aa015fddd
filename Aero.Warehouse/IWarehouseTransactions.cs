namespace Aero.Warehouse;

/// <summary>
/// Statements run in one transaction on the warehouse (DuckDB, PostgreSQL): what a batch job needs to replace its
/// period's rows atomically, and to keep its runs (<c>_aero_jobs</c>) beside them.
/// </summary>
public interface IWarehouseTransactions
{
    /// <summary>
    /// Runs <paramref name="statements"/> in order in one transaction and commits; returns each one's affected rows.
    /// A statement that must affect a row and affects none rolls everything back (<see cref="StatementGuardException"/>).
    /// Cancellation interrupts the statement running and rolls back.
    /// </summary>
    Task<IReadOnlyList<long>> ExecuteInTransactionAsync(IReadOnlyList<TransactionStatement> statements, CancellationToken cancellationToken = default);
}
