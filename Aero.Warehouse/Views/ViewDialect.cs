using Aero.Warehouse.BigQuery;

namespace Aero.Warehouse.Views;

/// <summary>What differs between backends in a view's query: where the flights are read, the name of a double, and how other tables are qualified.</summary>
/// <param name="Flights">The flights table (BigQuery: its deduplicated view), qualified as the view's body needs it.</param>
/// <param name="DoubleType">The SQL name of an 8-byte floating point type.</param>
/// <param name="Tables">What goes before another table's name (the windows' and jobs' tables) to qualify it.</param>
public sealed record ViewDialect(string Flights, string DoubleType, string Tables)
{
    public static ViewDialect DuckDb { get; } = new(WarehouseTables.Flights, "DOUBLE", "");

    public static ViewDialect Postgres(string quotedSchema) => new($"{quotedSchema}.{WarehouseTables.Flights}", "double precision", $"{quotedSchema}.");

    public static ViewDialect BigQuery(string project, string dataset, string flightsView) => new($"`{project}.{dataset}.{flightsView}`", "FLOAT64", $"`{project}.{dataset}`.");

    /// <summary>
    /// The flights whose event date is within [<paramref name="from"/>, <paramref name="to"/>] (either open), as a subquery
    /// for SQL run through the query side of a warehouse of <paramref name="kind"/> (which finds unqualified names in
    /// its own schema or dataset).
    /// </summary>
    public static ViewDialect Within(string kind, DateOnly? from, DateOnly? to)
    {
        var (table, type) = kind switch
        {
            "bigquery" => (BigQueryRows.ProcessedDedupeView, "FLOAT64"),
            "postgres" => (WarehouseTables.Flights, "double precision"),
            _ => (WarehouseTables.Flights, "DOUBLE"),
        };
        List<string> conditions = ["TRUE"];
        if (from is { } first)
        {
            conditions.Add($"event_date >= DATE '{first.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}'");
        }

        if (to is { } last)
        {
            conditions.Add($"event_date <= DATE '{last.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}'");
        }

        return new($"(SELECT * FROM {table} WHERE {string.Join(" AND ", conditions)}) AS f", type, "");
    }
}
