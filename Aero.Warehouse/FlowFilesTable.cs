namespace Aero.Warehouse;

/// <summary>
/// The flows' ledger of extracted files, <c>_aero_flow_files</c>: one row per flow and file content (SHA-256), so a
/// flow extracts each file once by what it holds, whatever it is called, renamed or copied again. Created with the
/// warehouse's other tables on start (every backend). Times are fixed-width UTC text, as in <c>_aero_jobs</c>.
/// </summary>
public static class FlowFilesTable
{
    public const string Name = "_aero_flow_files";

    /// <summary>The CREATE TABLE statement, in types DuckDB and PostgreSQL share; <paramref name="prefix"/> qualifies the name.</summary>
    public static string Create(string prefix = "") => $"""
        CREATE TABLE IF NOT EXISTS {prefix}{Name} (
          flow VARCHAR NOT NULL, sha256 VARCHAR NOT NULL, file VARCHAR NOT NULL, bytes BIGINT NOT NULL,
          records_read BIGINT NOT NULL, records_produced BIGINT NOT NULL, records_dead_lettered BIGINT NOT NULL,
          run_id VARCHAR NOT NULL, extracted_at VARCHAR NOT NULL,
          PRIMARY KEY (flow, sha256))
        """;
}
