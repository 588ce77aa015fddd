using System.Data.Common;
using Aero.Kafka.Messages;
using Aero.Warehouse.Views;
using Npgsql;
using NpgsqlTypes;

namespace Aero.Warehouse.Postgres;

/// <summary>
/// The shared warehouse: one PostgreSQL schema that several nodes write at once. A batch's columns go as arrays into
/// one <c>INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING</c> into <c>flights_raw</c>, in the same transaction that stores
/// the dead letters and upserts the next offset of each partition. Writers only lock the rows they touch, so nodes
/// on different partitions never wait for each other.
/// </summary>
public sealed partial class PostgresWarehouse : IWarehouse, IWarehouseTransactions
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresSettings _settings;
    private readonly string _flights;
    private readonly string _processed;
    private readonly string _deadLetters;
    private readonly string _offsets;

    private PostgresWarehouse(NpgsqlDataSource dataSource, PostgresSettings settings)
    {
        _dataSource = dataSource;
        _settings = settings;
        var schema = FlightColumns.Quoted(settings.Schema);
        _flights = $"{schema}.{WarehouseTables.FlightsRaw}";
        _processed = $"{schema}.{WarehouseTables.Flights}";
        _deadLetters = $"{schema}.{WarehouseTables.DeadLetters}";
        _offsets = $"{schema}.{WarehouseTables.Offsets}";
        var where = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        Description = $"PostgreSQL {where.Host}:{where.Port}/{where.Database} (schema {settings.Schema})";
    }

    public string Description { get; }

    /// <summary>Connects and creates the schema and tables when missing; a table of an older version gains the newer columns.</summary>
    public static async Task<PostgresWarehouse> OpenAsync(PostgresSettings settings, CancellationToken cancellationToken = default)
    {
        var builder = new NpgsqlConnectionStringBuilder(settings.ConnectionString)
        {
            // Unqualified names in aero query resolve to the warehouse's tables.
            SearchPath = settings.Schema,
            CommandTimeout = (int)Math.Ceiling(settings.CommandTimeout.TotalSeconds),
        };
        var dataSource = NpgsqlDataSource.Create(builder);
        var warehouse = new PostgresWarehouse(dataSource, settings);
        try
        {
            await warehouse.EnsureSchemaAsync(cancellationToken);
            return warehouse;
        }
        catch (Exception error)
        {
            // Whatever stopped the open (cancellation included), its connections are closed.
            await dataSource.DisposeAsync();
            if (error is DbException or TimeoutException or System.Net.Sockets.SocketException)
            {
                throw new InvalidOperationException($"PostgreSQL warehouse at {settings.RedactedConnectionString} (schema {settings.Schema}): {error.Message}", error);
            }

            throw;
        }
    }

    /// <summary>The PostgreSQL type of a column; the warehouse's DDL and the specs' older tables are built from it.</summary>
    internal static string SqlType(FlightColumnType type) => type switch
    {
        FlightColumnType.Text => "text",
        FlightColumnType.Int4 => "integer",
        FlightColumnType.BigInt => "bigint",
        FlightColumnType.Float8 => "double precision",
        // The record's times are UTC instants.
        FlightColumnType.Timestamp => "timestamptz",
        FlightColumnType.Json => "jsonb",
        FlightColumnType.Date => "date",
        FlightColumnType.Boolean => "boolean",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    internal static string ColumnDefinitions(IEnumerable<FlightColumn> columns) =>
        string.Join(", ", columns.Select(c => $"{FlightColumns.Quoted(c.Name)} {SqlType(c.Type)}{(c.Nullable ? "" : " NOT NULL")}"));

    public Task<IReadOnlyDictionary<int, KafkaPosition>> StoredPositionsAsync(string clusterId, string topic, CancellationToken cancellationToken = default) =>
        ReadAsync(() => ReadStoredPositionsAsync(clusterId, topic, cancellationToken));

    private async Task<IReadOnlyDictionary<int, KafkaPosition>> ReadStoredPositionsAsync(string clusterId, string topic, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"SELECT kafka_partition, next_offset, last_timestamp FROM {_offsets} WHERE cluster_id = $1 AND topic = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = clusterId });
        command.Parameters.Add(new NpgsqlParameter { Value = topic });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var positions = new Dictionary<int, KafkaPosition>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var partition = reader.GetInt32(0);
            positions[partition] = new KafkaPosition(topic, partition, reader.GetInt64(1) - 1, reader.IsDBNull(2) ? null : reader.GetDateTime(2));
        }

        return positions;
    }

    public Task<WriteResult> WriteAsync(LoadBatch batch, CancellationToken cancellationToken = default) =>
        RefusedRows.WriteAsync(batch, WriteOnceAsync, cancellationToken);

    private async Task<WriteResult> WriteOnceAsync(LoadBatch batch, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        int fenced;
        (batch, fenced) = OffsetFence.Apply(batch, await LockStoredOffsetsAsync(connection, batch, cancellationToken));
        int inserted;
        IReadOnlyList<LoadRow> stored = [];
        try
        {
            if (batch.Rows.Count == 0)
            {
                inserted = 0;
            }
            else
            {
                var firsts = DuplicateRule.FirstPerEvent(batch.Rows);
                var storedIds = await InsertRowsAsync(connection, firsts, cancellationToken);
                inserted = storedIds.Count;
                stored = [.. firsts.Where(row => storedIds.Contains(row.Flight.EventId))];
                // Their processed flights, only for rows stored now: flights holds an event once, as flights_raw does.
                await InsertProcessedAsync(connection, [.. stored.Where(row => row.Processed is not null)], cancellationToken);
            }
        }
        catch (PostgresException refused) when (IsDataError(refused))
        {
            throw new RowsRefusedException(refused.Message, refused);
        }

        var now = DateTime.UtcNow;
        await using var statements = new NpgsqlBatch(connection, transaction);
        foreach (var letter in batch.DeadLetters)
        {
            statements.BatchCommands.Add(Command(
                $"""
                INSERT INTO {_deadLetters} (cluster_id, kafka_topic, kafka_partition, kafka_offset, reason, payload, dead_lettered_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING
                """,
                batch.ClusterId, letter.Position.Topic, letter.Position.Partition, letter.Position.Offset, letter.Reason, letter.Payload, now));
        }

        // In one order for every writer, so two writers that share partitions (during a rebalance) cannot deadlock.
        // Only ever forward: a write that lands late never moves an offset back.
        foreach (var last in batch.LastPositions().OrderBy(p => p.Topic, StringComparer.Ordinal).ThenBy(p => p.Partition))
        {
            statements.BatchCommands.Add(Command(
                $"""
                INSERT INTO {_offsets} (cluster_id, topic, kafka_partition, next_offset, last_timestamp, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (cluster_id, topic, kafka_partition) DO UPDATE
                SET next_offset = excluded.next_offset, last_timestamp = excluded.last_timestamp, updated_at = excluded.updated_at
                WHERE {_offsets}.next_offset < excluded.next_offset
                """,
                batch.ClusterId, last.Topic, last.Partition, last.NextOffset, last.Timestamp, now));
        }

        if (statements.BatchCommands.Count > 0)
        {
            await statements.ExecuteNonQueryAsync(cancellationToken);
        }

        // Its windows' partials and the partitions' event times (PostgresWarehouse.Windows.cs).
        await WriteWindowsAsync(connection, batch, stored, cancellationToken);

        await transaction.CommitAsync(cancellationToken);
        return new WriteResult(inserted, batch.Rows.Count - inserted, batch.DeadLetters.Count, Fenced: fenced);
    }

    /// <summary>
    /// The stored offsets of the batch's partitions, locked until the transaction ends: a writer of the same partition
    /// waits, then sees this one's offset. Taken first and in one order, as every writer does, so none deadlock.
    /// </summary>
    private async Task<Func<(string Topic, int Partition), long?>> LockStoredOffsetsAsync(NpgsqlConnection connection, LoadBatch batch, CancellationToken cancellationToken)
    {
        var keys = OffsetFence.FirstOffsets(batch).Keys.ToList();
        var stored = new Dictionary<(string Topic, int Partition), long>();
        if (keys.Count > 0)
        {
            await using var command = new NpgsqlCommand(
                $"""
                SELECT topic, kafka_partition, next_offset FROM {_offsets}
                WHERE cluster_id = $1 AND (topic, kafka_partition) IN (SELECT * FROM unnest($2::text[], $3::integer[]))
                ORDER BY topic, kafka_partition FOR UPDATE
                """,
                connection)
            {
                Parameters = { new() { Value = batch.ClusterId }, new() { Value = keys.Select(k => k.Topic).ToArray() }, new() { Value = keys.Select(k => k.Partition).ToArray() } },
            };
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                stored[(reader.GetString(0), reader.GetInt32(1))] = reader.GetInt64(2);
            }
        }

        return key => stored.TryGetValue(key, out var next) ? next : null;
    }

    /// <summary>
    /// SQLSTATE class 22 (data exception: a value out of range, an escape jsonb cannot hold) or 23 (integrity: NOT NULL,
    /// a check) while moving rows into flights_raw: the rows' fault. Stored events never get here (ON CONFLICT).
    /// </summary>
    private static bool IsDataError(PostgresException error) => error.SqlState.StartsWith("22", StringComparison.Ordinal) || error.SqlState.StartsWith("23", StringComparison.Ordinal);

    public Task<long> CountAsync(string table, CancellationToken cancellationToken = default) =>
        ReadAsync(async () =>
        {
            await using var command = _dataSource.CreateCommand($"SELECT count(*) FROM {FlightColumns.Quoted(_settings.Schema)}.{FlightColumns.Quoted(table)}");
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        });

    public Task<QueryResult> QueryAsync(string sql, CancellationToken cancellationToken = default) =>
        ReadAsync(() => RunQueryAsync(sql, cancellationToken));

    public IReadOnlyList<WarehouseView> Views => WarehouseViews.WithWindows;

    public Task<bool> HasTableAsync(string name, CancellationToken cancellationToken = default) =>
        ReadAsync(async () =>
        {
            await using var command = _dataSource.CreateCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = @schema AND table_name = @name");
            command.Parameters.AddWithValue("schema", _settings.Schema);
            command.Parameters.AddWithValue("name", name);
            return (long)(await command.ExecuteScalarAsync(cancellationToken))! > 0;
        });

    /// <summary>
    /// A server restart ends the pool's idle connections, and the pool learns of it only on their next use: a read
    /// is tried once more on fresh connections rather than failing for a connection the server ended long before.
    /// </summary>
    private async Task<T> ReadAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (NpgsqlException error) when (IsConnectionEnded(error))
        {
            _dataSource.Clear();
            return await read();
        }
    }

    // SQLSTATE class 57P (the server shut the connection down) and 08 (connection exceptions), or a broken socket.
    private static bool IsConnectionEnded(NpgsqlException error) =>
        error is PostgresException postgres
            ? postgres.SqlState.StartsWith("57P", StringComparison.Ordinal) || postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
            : error.IsTransient;

    private async Task<QueryResult> RunQueryAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = Enumerable.Range(0, reader.FieldCount).Select(i => new QueryColumn(reader.GetName(i), reader.GetDataTypeName(i))).ToList();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = await reader.IsDBNullAsync(i, cancellationToken) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return new QueryResult(columns, rows);
    }

    public async Task<IReadOnlyList<long>> ExecuteInTransactionAsync(IReadOnlyList<TransactionStatement> statements, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var affected = new List<long>(statements.Count);
        foreach (var statement in statements)
        {
            // Npgsql cancels the statement on the server when the token fires; disposing the transaction rolls back.
            await using var command = new NpgsqlCommand(statement.Sql, connection, transaction);
            affected.Add(await command.ExecuteNonQueryAsync(cancellationToken));
            if (statement.MustAffectRows && affected[^1] == 0)
            {
                throw new StatementGuardException(statement.Sql);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return affected;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <summary>The rows into flights_raw; the event ids stored (those not stored already).</summary>
    private Task<HashSet<string>> InsertRowsAsync(NpgsqlConnection connection, IReadOnlyList<LoadRow> rows, CancellationToken cancellationToken) =>
        InsertNewAsync(connection, _flights, FlightColumns.All, rows, cancellationToken);

    /// <summary>Processed flights into flights, their rows being new to flights_raw in this transaction.</summary>
    private async Task InsertProcessedAsync(NpgsqlConnection connection, IReadOnlyList<LoadRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count > 0)
        {
            await InsertNewAsync(connection, _processed, ProcessedColumns.All, rows, cancellationToken);
        }
    }

    /// <summary>
    /// The rows into <paramref name="table"/>, but for events it holds already; the event ids stored. One statement:
    /// each column goes as one typed array and <c>unnest</c> makes the rows, so no temporary table is created per
    /// batch (each one added and removed catalog rows, which autovacuum had to clean after every batch). One row per
    /// event id already (DuplicateRule); in event id order, so writers that share events lock them in one order, and
    /// ON CONFLICT waits for a concurrent writer's row of the same event, then leaves this one out.
    /// </summary>
    private static async Task<HashSet<string>> InsertNewAsync(NpgsqlConnection connection, string table, IReadOnlyList<FlightColumn> columns, IReadOnlyList<LoadRow> rows, CancellationToken cancellationToken)
    {
        var names = string.Join(", ", columns.Select(c => FlightColumns.Quoted(c.Name)));
        await using var insert = new NpgsqlCommand(
            $"""
            INSERT INTO {table} ({names})
            SELECT * FROM unnest({string.Join(", ", columns.Select((_, i) => $"${i + 1}"))}) AS batch ({names}) ORDER BY event_id
            ON CONFLICT (event_id) DO NOTHING
            RETURNING event_id
            """,
            connection);
        var ingestedAt = DateTime.UtcNow;
        foreach (var column in columns)
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = ColumnArray(column, rows, ingestedAt), NpgsqlDbType = NpgsqlDbType.Array | DbType(column.Type) });
        }

        var stored = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            stored.Add(reader.GetString(0));
        }

        return stored;
    }

    /// <summary>One column's values of every row, as the typed array its parameter sends.</summary>
    private static Array ColumnArray(FlightColumn column, IReadOnlyList<LoadRow> rows, DateTime ingestedAt) => column.Type switch
    {
        FlightColumnType.Text or FlightColumnType.Json => Values(rows, row => (string?)column.Value(row, ingestedAt)),
        FlightColumnType.Int4 => Values(rows, row => (int?)column.Value(row, ingestedAt)),
        FlightColumnType.BigInt => Values(rows, row => (long?)column.Value(row, ingestedAt)),
        FlightColumnType.Float8 => Values(rows, row => (double?)column.Value(row, ingestedAt)),
        FlightColumnType.Boolean => Values(rows, row => (bool?)column.Value(row, ingestedAt)),
        FlightColumnType.Date => Values(rows, row => (DateOnly?)column.Value(row, ingestedAt)),
        // timestamptz takes UTC only; the record's times are UTC even when the JSON did not say so.
        FlightColumnType.Timestamp => Values(rows, row => column.Value(row, ingestedAt) is DateTime time
            ? time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc)
            : (DateTime?)null),
        _ => throw new ArgumentOutOfRangeException(nameof(column), column.Type, null),
    };

    private static T[] Values<T>(IReadOnlyList<LoadRow> rows, Func<LoadRow, T> value)
    {
        var values = new T[rows.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = value(rows[i]);
        }

        return values;
    }

    private static NpgsqlDbType DbType(FlightColumnType type) => type switch
    {
        FlightColumnType.Text => NpgsqlDbType.Text,
        FlightColumnType.Int4 => NpgsqlDbType.Integer,
        FlightColumnType.BigInt => NpgsqlDbType.Bigint,
        FlightColumnType.Float8 => NpgsqlDbType.Double,
        FlightColumnType.Timestamp => NpgsqlDbType.TimestampTz,
        FlightColumnType.Json => NpgsqlDbType.Jsonb,
        FlightColumnType.Date => NpgsqlDbType.Date,
        FlightColumnType.Boolean => NpgsqlDbType.Boolean,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    private static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    private async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // CREATE ... IF NOT EXISTS races with itself (duplicate catalog rows): nodes opening at once take turns, per schema.
        await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(hashtextextended('aero.warehouse ' || $1, 0))", cancellationToken, _settings.Schema);

        var existing = await ExistingColumnsAsync(connection, cancellationToken);
        if (existing.Count == 0)
        {
            // Checked, not CREATE SCHEMA IF NOT EXISTS: that needs CREATE on the database even when the schema exists.
            await using var schemaExists = new NpgsqlCommand("SELECT count(*) FROM pg_namespace WHERE nspname = $1", connection) { Parameters = { new() { Value = _settings.Schema } } };
            if ((long)(await schemaExists.ExecuteScalarAsync(cancellationToken))! == 0)
            {
                await ExecuteAsync(connection, $"CREATE SCHEMA {FlightColumns.Quoted(_settings.Schema)}", cancellationToken);
            }

            await ExecuteAsync(connection, $"CREATE TABLE {_flights} ({ColumnDefinitions(FlightColumns.All)}, PRIMARY KEY (event_id))", cancellationToken);
        }
        else
        {
            // ALTER TABLE locks the table against every writer, so only when a column is really missing.
            foreach (var column in FlightColumns.All.Where(c => !existing.Contains(c.Name)))
            {
                await ExecuteAsync(connection, $"ALTER TABLE {_flights} ADD COLUMN {FlightColumns.Quoted(column.Name)} {SqlType(column.Type)}", cancellationToken);
            }
        }

        await ExecuteAsync(connection, $"CREATE TABLE IF NOT EXISTS {_processed} ({ColumnDefinitions(ProcessedColumns.All)}, PRIMARY KEY (event_id))", cancellationToken);
        await ExecuteAsync(
            connection,
            $"""
            CREATE TABLE IF NOT EXISTS {_deadLetters} (
              cluster_id text NOT NULL, kafka_topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL,
              reason text NOT NULL, payload bytea, dead_lettered_at timestamptz NOT NULL,
              PRIMARY KEY (cluster_id, kafka_topic, kafka_partition, kafka_offset))
            """,
            cancellationToken);
        await ExecuteAsync(
            connection,
            $"""
            CREATE TABLE IF NOT EXISTS {_offsets} (
              cluster_id text NOT NULL, topic text NOT NULL, kafka_partition integer NOT NULL,
              next_offset bigint NOT NULL, updated_at timestamptz NOT NULL, last_timestamp timestamptz,
              PRIMARY KEY (cluster_id, topic, kafka_partition))
            """,
            cancellationToken);
        // The Kafka timestamp of the record before next_offset; tables of older versions gain it, empty.
        await ExecuteAsync(connection, $"ALTER TABLE {_offsets} ADD COLUMN IF NOT EXISTS last_timestamp timestamptz", cancellationToken);
        await CreateWindowTablesAsync(connection, cancellationToken);
        var schema = FlightColumns.Quoted(_settings.Schema);
        await ExecuteAsync(connection, JobRunsTable.Create($"{schema}."), cancellationToken);
        await ExecuteAsync(connection, FlowFilesTable.Create($"{schema}."), cancellationToken);
        foreach (var view in Views)
        {
            // Dropped first: CREATE OR REPLACE cannot change a view's columns, which a newer version may.
            await ExecuteAsync(connection, $"DROP VIEW IF EXISTS {schema}.{view.Name}; CREATE VIEW {schema}.{view.Name} AS {view.QueryIn(ViewDialect.Postgres(schema))}", cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<HashSet<string>> ExistingColumnsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2", connection)
        {
            Parameters = { new() { Value = _settings.Schema }, new() { Value = WarehouseTables.FlightsRaw } },
        };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object?[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
