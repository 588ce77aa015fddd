using System.Data.Common;
using DuckDB.NET.Data;

namespace Aero.FakeBigQuery;

/// <summary>
/// The fake's storage: one in-memory DuckDB where each BigQuery project is an attached in-memory database and each
/// dataset a schema in it, so <c>project.dataset.table</c> resolves in DuckDB as it does in BigQuery.
/// Not thread-safe: the caller serializes access.
/// </summary>
internal sealed class Warehouse : IDisposable
{
    private readonly DuckDBConnection _connection = new("DataSource=:memory:");
    private readonly HashSet<string> _projects = new(StringComparer.Ordinal);

    public Warehouse()
    {
        _connection.Open();
        Execute("SET TimeZone = 'UTC'");
        // GoogleSQL functions SqlTranslator renames, where DuckDB's own take other arguments.
        Execute("CREATE TEMP MACRO bq_timestamp_trunc(t, part) AS date_trunc(part, t)");
        Execute("CREATE TEMP MACRO bq_timestamp_add(t, i) AS t + i");
        Execute("CREATE TEMP MACRO bq_timestamp_diff(later, earlier, part) AS date_diff(part, earlier, later)");
    }

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string Name(string projectId, string datasetId, string tableId) =>
        $"{Quote(projectId)}.{Quote(datasetId)}.{Quote(tableId)}";

    public void EnsureProject(string projectId)
    {
        if (_projects.Add(projectId))
        {
            Execute($"ATTACH ':memory:' AS {Quote(projectId)}");
        }
    }

    public void CreateSchema(string projectId, string datasetId)
    {
        EnsureProject(projectId);
        Execute($"CREATE SCHEMA {Quote(projectId)}.{Quote(datasetId)}");
    }

    public void DropSchema(string projectId, string datasetId) =>
        Execute($"DROP SCHEMA {Quote(projectId)}.{Quote(datasetId)} CASCADE");

    public void CreateTable(string projectId, string datasetId, string tableId, IEnumerable<BigQueryField> fields)
    {
        var columns = fields.Select(f => $"{Quote(f.Name)} {f.DuckDbType}{(f.IsRequired ? " NOT NULL" : string.Empty)}");
        Execute($"CREATE TABLE {Name(projectId, datasetId, tableId)} ({string.Join(", ", columns)})");
    }

    public long Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    public long Count(string projectId, string datasetId, string tableId)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {Name(projectId, datasetId, tableId)}";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Inserts rows of SQL literals, many rows per statement.</summary>
    public void Insert(string projectId, string datasetId, string tableId, IReadOnlyList<string> columns, IReadOnlyList<string[]> rows)
    {
        const int RowsPerStatement = 500;
        for (var start = 0; start < rows.Count; start += RowsPerStatement)
        {
            var values = rows.Skip(start).Take(RowsPerStatement).Select(r => "(" + string.Join(", ", r) + ")");
            Execute($"INSERT INTO {Name(projectId, datasetId, tableId)} ({string.Join(", ", columns.Select(Quote))}) VALUES {string.Join(", ", values)}");
        }
    }

    /// <summary>Runs statements as one transaction: all of them apply, or none.</summary>
    public void Atomically(Action work)
    {
        using var transaction = _connection.BeginTransaction();
        work();
        transaction.Commit();
    }

    /// <summary>A transaction the caller commits or rolls back (a script's BEGIN TRANSACTION ... COMMIT TRANSACTION).</summary>
    public DbTransaction BeginTransaction() => _connection.BeginTransaction();

    /// <summary>Column names and DuckDB types of a SELECT, without running it.</summary>
    public List<(string Name, string Type)> Describe(string selectSql)
    {
        var columns = new List<(string, string)>();
        using var command = _connection.CreateCommand();
        command.CommandText = "DESCRIBE " + selectSql;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            columns.Add((reader.GetString(0), reader.GetString(1)));
        }

        return columns;
    }

    public List<object?[]> Read(string sql)
    {
        var rows = new List<object?[]>();
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(ReadRow(reader));
        }

        return rows;
    }

    /// <summary>Tables and views DuckDB holds in a dataset, with their columns: what DDL run by a query left behind.</summary>
    public Dictionary<string, (bool IsView, List<(string Name, string Type, bool Nullable)> Columns)> Objects(string projectId, string datasetId)
    {
        var objects = new Dictionary<string, (bool, List<(string, string, bool)>)>(StringComparer.Ordinal);
        using var command = _connection.CreateCommand();
        command.CommandText = """
            SELECT c.table_name, t.table_type, c.column_name, c.data_type, c.is_nullable
            FROM information_schema.columns c
            JOIN information_schema.tables t USING (table_catalog, table_schema, table_name)
            WHERE c.table_catalog = $catalog AND c.table_schema = $schema
            ORDER BY c.table_name, c.ordinal_position
            """;
        command.Parameters.Add(new DuckDBParameter("catalog", projectId));
        command.Parameters.Add(new DuckDBParameter("schema", datasetId));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var table = reader.GetString(0);
            if (!objects.TryGetValue(table, out var entry))
            {
                entry = (reader.GetString(1) == "VIEW", []);
                objects[table] = entry;
            }

            entry.Item2.Add((reader.GetString(2), reader.GetString(3), reader.GetString(4) == "YES"));
        }

        return objects;
    }

    public void Dispose() => _connection.Dispose();

    private static object?[] ReadRow(DbDataReader reader)
    {
        var row = new object?[reader.FieldCount];
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            if (row[i] is Stream stream)
            {
                // BLOB values are streams over DuckDB memory that the next Read invalidates.
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                row[i] = copy.ToArray();
            }
        }

        return row;
    }
}
