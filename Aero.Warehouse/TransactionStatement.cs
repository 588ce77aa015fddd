namespace Aero.Warehouse;

/// <summary>One statement of <see cref="IWarehouseTransactions.ExecuteInTransactionAsync"/>.</summary>
/// <param name="MustAffectRows">A guard: when it affects no row, the transaction is rolled back.</param>
public sealed record TransactionStatement(string Sql, bool MustAffectRows = false);
