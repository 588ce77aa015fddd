namespace Aero.Warehouse;

/// <summary>A guard statement affected no row, so its transaction was rolled back.</summary>
public sealed class StatementGuardException(string sql) : Exception($"Rolled back: the guard statement affected no row ({sql})")
{
    public string Sql { get; } = sql;
}
