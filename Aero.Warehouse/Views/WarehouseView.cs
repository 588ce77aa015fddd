namespace Aero.Warehouse.Views;

/// <summary>
/// A view the warehouse creates on start over <c>flights</c>: its name, what it says, its columns in order, and its
/// query in the SQL every backend shares, with <c>{flights}</c> for the flights table and <c>{double}</c> for the
/// floating point type and <c>{tables}</c> before any other table's name (see <see cref="ViewDialect"/>).
/// </summary>
public sealed record WarehouseView(string Name, string Description, IReadOnlyList<ViewField> Fields, string Query)
{
    /// <summary>The query in <paramref name="dialect"/>.</summary>
    public string QueryIn(ViewDialect dialect) =>
        Query.Replace("{flights}", dialect.Flights, StringComparison.Ordinal).Replace("{double}", dialect.DoubleType, StringComparison.Ordinal)
            .Replace("{tables}", dialect.Tables, StringComparison.Ordinal);
}
