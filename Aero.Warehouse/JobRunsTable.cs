namespace Aero.Warehouse;

/// <summary>
/// The jobs' run history, <c>_aero_jobs</c> (written by the jobs' scheduler): created with the warehouse's other tables
/// on start too (every backend), so the view over it exists from the first start on. Times are fixed-width UTC text.
/// </summary>
public static class JobRunsTable
{
    public const string Name = "_aero_jobs";

    /// <summary>The CREATE TABLE statement, in types DuckDB and PostgreSQL share; <paramref name="prefix"/> qualifies the name.</summary>
    public static string Create(string prefix = "") => $"""
        CREATE TABLE IF NOT EXISTS {prefix}{Name} (
          run_id VARCHAR PRIMARY KEY, job VARCHAR NOT NULL, period VARCHAR NOT NULL, due VARCHAR NOT NULL,
          engine VARCHAR NOT NULL, state VARCHAR NOT NULL, attempt INTEGER NOT NULL, owner VARCHAR,
          lease_until VARCHAR, next_attempt_at VARCHAR, started_at VARCHAR, ended_at VARCHAR, rows_written BIGINT, error VARCHAR)
        """;
}
