namespace Aero.Warehouse.Views;

/// <summary>What differs between backends in a view's query: where the flights are read and the name of a double.</summary>
/// <param name="Flights">The flights table (BigQuery: its deduplicated view), qualified as the view's body needs it.</param>
/// <param name="DoubleType">The SQL name of an 8-byte floating point type.</param>
public sealed record ViewDialect(string Flights, string DoubleType)
{
    public static ViewDialect DuckDb { get; } = new(WarehouseTables.Flights, "DOUBLE");

    public static ViewDialect Postgres(string quotedSchema) => new($"{quotedSchema}.{WarehouseTables.Flights}", "double precision");

    public static ViewDialect BigQuery(string project, string dataset, string flightsView) => new($"`{project}.{dataset}.{flightsView}`", "FLOAT64");
}
