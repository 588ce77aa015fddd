using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Aero.Kafka.Messages;
using Aero.Warehouse.Views;
using DuckDB.NET.Data;
using DuckDB.NET.Native;

namespace Aero.Warehouse.DuckDb;

/// <summary>
/// The embedded warehouse: one DuckDB file. Batches are appended to <c>flights_raw</c> in the same transaction that
/// stores their next offsets. DuckDB has one writer and a costly commit, so the batches that partitions hand in while
/// a transaction runs are written together in the next one (a group commit); each still gets its own result. Events
/// stored already are found by their ids within their event days and left out, so no key index grows with the table.
/// </summary>
public sealed partial class DuckDbWarehouse : IWarehouse, IWarehouseTransactions
{
    // A temporary table: each connection (each instance on the file) stages its own group without conflicting with another.
    private const string Staging = "_aero_batch";
    // The group's event ids, to find those stored already.
    private const string StagingKeys = "_aero_batch_keys";
    // One process may open a DuckDB file, and its instances on that file take turns: the lookup of stored events and
    // the append are one writer's, or two instances could both find an event missing and both store it.
    private static readonly ConcurrentDictionary<string, Lock> FileGates = new(StringComparer.Ordinal);
    private static readonly string RecordColumnDefinitions = ColumnDefinitions(FlightColumns.All);
    private readonly DuckDBConnection _connection;
    private readonly Lock _gate;
    private readonly Channel<PendingWrite> _writes = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    // The record's columns in flights_raw's own order, for the appender; null when the table has others too.
    private FlightColumn[]? _appendOrder;

    private readonly int _maxGroupRows;

    private DuckDbWarehouse(DuckDBConnection connection, string path, int maxGroupRows)
    {
        _connection = connection;
        _maxGroupRows = maxGroupRows;
        _gate = FileGates.GetOrAdd(Path.GetFullPath(path), _ => new Lock());
        Description = $"DuckDB {path}";
        _writer = Task.Run(WriteLoopAsync);
    }

    public string Description { get; }

    public static DuckDbWarehouse Open(DuckDbSettings settings)
    {
        var path = settings.Path;
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        var connection = new DuckDBConnection($"Data Source={path}");
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"SET checkpoint_threshold = '{settings.CheckpointThresholdBytes}B'; SET threads = {settings.Threads}; SET memory_limit = '{settings.MemoryLimitBytes}B'";
            command.ExecuteNonQuery();
        }
        catch
        {
            // The file stays locked by this process while a connection to it is open.
            connection.Dispose();
            throw;
        }

        var warehouse = new DuckDbWarehouse(connection, path, settings.MaxGroupRows);
        try
        {
            warehouse.EnsureSchema();
        }
        catch
        {
            warehouse.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }

        return warehouse;
    }

    /// <summary>The DuckDB type of a column; the warehouse's DDL and the specs' older tables are built from it.</summary>
    internal static string SqlType(FlightColumnType type) => type switch
    {
        FlightColumnType.Text => "VARCHAR",
        FlightColumnType.Int4 => "INTEGER",
        FlightColumnType.BigInt => "BIGINT",
        FlightColumnType.Float8 => "DOUBLE",
        FlightColumnType.Timestamp => "TIMESTAMP",
        FlightColumnType.Json => "JSON",
        FlightColumnType.Date => "DATE",
        FlightColumnType.Boolean => "BOOLEAN",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    internal static string ColumnDefinitions(IEnumerable<FlightColumn> columns) =>
        string.Join(", ", columns.Select(c => $"{FlightColumns.Quoted(c.Name)} {SqlType(c.Type)}{(c.Nullable ? "" : " NOT NULL")}"));

    // DuckDB's client is synchronous; the load graph calls these on the thread pool.
    public Task<IReadOnlyDictionary<int, KafkaPosition>> StoredPositionsAsync(string clusterId, string topic, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyDictionary<int, KafkaPosition>>(StoredPositions(clusterId, topic));

    public Task<WriteResult> WriteAsync(LoadBatch batch, CancellationToken cancellationToken = default) =>
        RefusedRows.WriteAsync(batch, (once, _) => WriteOnceAsync(once), cancellationToken);

    private Task<WriteResult> WriteOnceAsync(LoadBatch batch)
    {
        var pending = new PendingWrite(batch);
        return _writes.Writer.TryWrite(pending) ? pending.Completion.Task : Task.FromException<WriteResult>(new ObjectDisposedException(Description));
    }

    public Task<long> CountAsync(string table, CancellationToken cancellationToken = default) => Task.FromResult(Count(table));

    public IReadOnlyList<WarehouseView> Views => WarehouseViews.WithWindows;

    public Task<bool> HasTableAsync(string name, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1";
            command.Parameters.Add(new DuckDBParameter(name));
            return Task.FromResult(Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) > 0);
        }
    }

    public Task<QueryResult> QueryAsync(string sql, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            var columns = Enumerable.Range(0, reader.FieldCount).Select(i => new QueryColumn(reader.GetName(i), reader.GetDataTypeName(i))).ToList();
            var rows = new List<object?[]>();
            while (reader.Read())
            {
                var row = new object?[reader.FieldCount];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.IsDBNull(i) ? null : Detached(reader.GetValue(i));
                }

                rows.Add(row);
            }

            return Task.FromResult(new QueryResult(columns, rows));
        }
    }

    public Task<IReadOnlyList<long>> ExecuteInTransactionAsync(IReadOnlyList<TransactionStatement> statements, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var affected = new List<long>(statements.Count);
            using var transaction = _connection.BeginTransaction();
            foreach (var statement in statements)
            {
                using var command = _connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = statement.Sql;
                // DuckDB interrupts the connection's running statement, which then fails; the transaction rolls back.
                using (cancellationToken.Register(command.Cancel))
                {
                    try
                    {
                        affected.Add(command.ExecuteNonQuery());
                    }
                    catch (Exception) when (cancellationToken.IsCancellationRequested)
                    {
                        throw new OperationCanceledException(cancellationToken);
                    }
                }

                if (statement.MustAffectRows && affected[^1] == 0)
                {
                    throw new StatementGuardException(statement.Sql);
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            transaction.Commit();
            return Task.FromResult<IReadOnlyList<long>>(affected);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Writes already handed in are finished, not dropped.
        _writes.Writer.TryComplete();
        await _writer;
        lock (_gate)
        {
            _connection.Dispose();
        }
    }

    /// <summary>Every stored offset: one row per partition ever loaded, few enough to read whole.</summary>
    private Dictionary<(string ClusterId, string Topic, int Partition), long> AllStoredOffsets()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT cluster_id, topic, kafka_partition, next_offset FROM {WarehouseTables.Offsets}";
        using var reader = command.ExecuteReader();
        var offsets = new Dictionary<(string, string, int), long>();
        while (reader.Read())
        {
            offsets[(reader.GetString(0), reader.GetString(1), reader.GetInt32(2))] = reader.GetInt64(3);
        }

        return offsets;
    }

    private Dictionary<int, KafkaPosition> StoredPositions(string clusterId, string topic)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = $"SELECT kafka_partition, next_offset, last_timestamp FROM {WarehouseTables.Offsets} WHERE cluster_id = $1 AND topic = $2";
            command.Parameters.Add(new DuckDBParameter(clusterId));
            command.Parameters.Add(new DuckDBParameter(topic));
            using var reader = command.ExecuteReader();
            var positions = new Dictionary<int, KafkaPosition>();
            while (reader.Read())
            {
                var partition = reader.GetInt32(0);
                positions[partition] = new KafkaPosition(topic, partition, reader.GetInt64(1) - 1, reader.IsDBNull(2) ? null : reader.GetDateTime(2));
            }

            return positions;
        }
    }

    private async Task WriteLoopAsync()
    {
        var group = new List<PendingWrite>();
        while (await _writes.Reader.WaitToReadAsync())
        {
            group.Clear();
            var rows = 0;
            while (rows < _maxGroupRows && _writes.Reader.TryRead(out var pending))
            {
                group.Add(pending);
                rows += pending.Batch.Rows.Count;
            }

            try
            {
                var results = WriteGroup(group);
                for (var i = 0; i < group.Count; i++)
                {
                    group[i].Completion.TrySetResult(results[i]);
                }
            }
            catch (RowsRefusedException) when (group.Count > 1)
            {
                // The transaction rolled back. Which batch holds the refused rows? Each goes again on its own.
                foreach (var pending in group)
                {
                    try
                    {
                        pending.Completion.TrySetResult(WriteGroup([pending])[0]);
                    }
                    catch (Exception failure)
                    {
                        pending.Completion.TrySetException(failure);
                    }
                }
            }
            catch (Exception failure)
            {
                // The transaction rolled back: nothing of any batch in it is stored.
                foreach (var pending in group)
                {
                    pending.Completion.TrySetException(failure);
                }
            }
        }
    }

    private WriteResult[] WriteGroup(List<PendingWrite> pendings)
    {
        lock (_gate)
        {
            // Every writer of this file takes the gate, so the offsets read here hold until the commit.
            var stored = AllStoredOffsets();
            var fenced = new int[pendings.Count];
            var group = new List<PendingWrite>(pendings.Count);
            for (var i = 0; i < pendings.Count; i++)
            {
                var clusterId = pendings[i].Batch.ClusterId;
                (var kept, fenced[i]) = OffsetFence.Apply(pendings[i].Batch, key => stored.TryGetValue((clusterId, key.Topic, key.Partition), out var next) ? next : null);
                group.Add(pendings[i] with { Batch = kept });
            }

            return [.. WriteFenced(group).Select((result, i) => result with { Fenced = fenced[i] })];
        }
    }

    private WriteResult[] WriteFenced(List<PendingWrite> group)
    {
        // One row per event: the group may carry an event twice (a record produced twice). Done here rather than with
        // a window in SQL, which sorted every group and cost as much as the insert itself.
        var firsts = new Dictionary<string, (LoadRow Row, int Batch)>(StringComparer.Ordinal);
        for (var i = 0; i < group.Count; i++)
        {
            foreach (var row in group[i].Batch.Rows)
            {
                if (!firsts.TryGetValue(row.Flight.EventId, out var first) || DuplicateRule.Precedes(row.Position, first.Row.Position))
                {
                    firsts[row.Flight.EventId] = (row, i);
                }
            }
        }

        return WriteTransaction(group, firsts);
    }

    /// <summary>
    /// One transaction: the group's rows that are not stored yet, its dead letters and its next offsets. flights_raw
    /// has no key index (a checkpoint rewrote all of it, so every commit stalled longer as the table grew): the
    /// events stored already are found by <see cref="StoredEvents"/> under the writer's lock, and the others appended.
    /// A table with columns the record does not know gets its rows through a staging table, so that an insert
    /// naming the record's columns gives the others their defaults.
    /// </summary>
    private WriteResult[] WriteTransaction(List<PendingWrite> group, Dictionary<string, (LoadRow Row, int Batch)> firsts)
    {
        using var transaction = _connection.BeginTransaction();
        var inserted = new int[group.Count];
        try
        {
            foreach (var eventId in StoredEvents(firsts.Values))
            {
                firsts.Remove(eventId);
            }

            foreach (var first in firsts.Values)
            {
                inserted[first.Batch]++;
            }

            InsertRows(firsts.Values);
            // Their processed flights, only for rows stored now: flights holds an event once, as flights_raw does.
            var stored = firsts.Values.ToList();
            AppendRows(WarehouseTables.Flights, ProcessedColumns.All, stored.Where(row => row.Row.Processed is not null));
            // Their windows' partials and the partitions' event times (DuckDbWarehouse.Windows.cs).
            WriteWindows(group, stored);
        }
        catch (DuckDBException refused) when (IsDataError(refused))
        {
            throw new RowsRefusedException(refused.Message, refused);
        }

        var next = new Dictionary<(string ClusterId, string Topic, int Partition), KafkaPosition>();
        foreach (var batch in group.Select(pending => pending.Batch))
        {
            foreach (var letter in batch.DeadLetters)
            {
                // A dead letter written again (a batch replayed) is kept once, by its Kafka position.
                Execute(
                    $"INSERT INTO {WarehouseTables.DeadLetters} VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
                    batch.ClusterId, letter.Position.Topic, letter.Position.Partition, letter.Position.Offset, letter.Reason, letter.Payload, DateTime.UtcNow);
            }

            foreach (var last in batch.LastPositions())
            {
                var key = (batch.ClusterId, last.Topic, last.Partition);
                next[key] = next.TryGetValue(key, out var known) && known.Offset > last.Offset ? known : last;
            }
        }

        // One statement for every partition of the group: a statement per partition cost about 1 µs per row.
        if (next.Count > 0)
        {
            var updatedAt = DateTime.UtcNow;
            Execute(
                $"""
                INSERT INTO {WarehouseTables.Offsets} (cluster_id, topic, kafka_partition, next_offset, last_timestamp, updated_at)
                VALUES {string.Join(", ", next.Select((_, i) => $"(${5 * i + 1}, ${5 * i + 2}, ${5 * i + 3}, ${5 * i + 4}, ${5 * i + 5}, ${5 * next.Count + 1})"))}
                ON CONFLICT (cluster_id, topic, kafka_partition) DO UPDATE
                SET next_offset = excluded.next_offset, last_timestamp = excluded.last_timestamp, updated_at = excluded.updated_at
                WHERE {WarehouseTables.Offsets}.next_offset < excluded.next_offset
                """,
                [.. next.SelectMany(entry => new object?[] { entry.Key.ClusterId, entry.Key.Topic, entry.Key.Partition, entry.Value.NextOffset, entry.Value.Timestamp }), updatedAt]);
        }

        transaction.Commit();
        return [.. group.Select((pending, i) => new WriteResult(inserted[i], pending.Batch.Rows.Count - inserted[i], pending.Batch.DeadLetters.Count))];
    }

    /// <summary>
    /// The event ids of <paramref name="rows"/> that flights_raw holds already. An event id comes from the record's
    /// content, its time included (docs/FLIGHT_RECORD.md), so a stored row of the same event has the same event time:
    /// only the rows of the group's event days are read, each run of days its own range, which DuckDB's per row group
    /// minima and maxima of <c>timestamp</c> prune. A steady load's days are the newest, so the cost follows the
    /// rows of those days, not the table.
    /// </summary>
    private List<string> StoredEvents(IEnumerable<(LoadRow Row, int Batch)> rows)
    {
        Execute($"CREATE OR REPLACE TEMP TABLE {StagingKeys} (event_id VARCHAR NOT NULL)");
        var days = new SortedSet<DateTime>();
        using (var appender = _connection.CreateAppender(StagingKeys))
        {
            foreach (var (row, _) in rows)
            {
                appender.CreateRow().AppendValue(row.Flight.EventId).EndRow();
                days.Add(row.Flight.Timestamp.Date);
            }
        }

        var ranges = EventDayRanges.Merge(days);
        var stored = new List<string>();
        if (ranges.Count > 0)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = string.Join(
                " UNION ALL ",
                ranges.Select((_, i) => $"""
                    SELECT f.event_id FROM {WarehouseTables.FlightsRaw} f SEMI JOIN {StagingKeys} k ON f.event_id = k.event_id
                    WHERE f."timestamp" >= ${2 * i + 1} AND f."timestamp" < ${2 * i + 2}
                    """));
            foreach (var (from, until) in ranges)
            {
                command.Parameters.Add(new DuckDBParameter(from));
                command.Parameters.Add(new DuckDBParameter(until));
            }

            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                stored.Add(reader.GetString(0));
            }
        }

        Execute($"DROP TABLE {StagingKeys}");
        return stored;
    }

    /// <summary>The group's new rows into flights_raw.</summary>
    private void InsertRows(IEnumerable<(LoadRow Row, int Batch)> rows)
    {
        if (_appendOrder is not null)
        {
            AppendRows(WarehouseTables.FlightsRaw, _appendOrder, rows);
            return;
        }

        // A new staging table per group, dropped after it: DuckDB never reclaims a temporary table's deleted rows.
        Execute($"CREATE OR REPLACE TEMP TABLE {Staging} ({RecordColumnDefinitions})");
        AppendRows(Staging, FlightColumns.All, rows);
        Execute($"INSERT INTO {WarehouseTables.FlightsRaw} ({FlightColumns.NameList}) SELECT {FlightColumns.NameList} FROM {Staging}");
        Execute($"DROP TABLE {Staging}");
    }

    /// <summary>Appends the rows to a table whose columns are <paramref name="columns"/>, in order.</summary>
    private void AppendRows(string table, IReadOnlyList<FlightColumn> columns, IEnumerable<(LoadRow Row, int Batch)> rows)
    {
        using var appender = _connection.CreateAppender(table);
        var closing = false;
        try
        {
            var ingestedAt = DateTime.UtcNow;
            foreach (var (row, _) in rows)
            {
                var appended = appender.CreateRow();
                foreach (var column in columns)
                {
                    appended = AppendValue(appended, column.Value(row, ingestedAt));
                }

                appended.EndRow();
            }

            // DuckDB checks NOT NULL and conversions as rows reach the table: every 204,800 rows, and here.
            closing = true;
            appender.Close();
        }
        catch when (!closing)
        {
            // Disposing would hand the rows still held to the aborted transaction, and that error would hide this one.
            appender.Clear();
            throw;
        }
    }

    /// <summary>Errors of a value or a constraint: the rows' fault, unlike a full disk or a lost file.</summary>
    private static bool IsDataError(DuckDBException error) =>
        error.ErrorType is DuckDBErrorType.Constraint or DuckDBErrorType.Conversion or DuckDBErrorType.OutOfRange or DuckDBErrorType.InvalidInput
            or DuckDBErrorType.Decimal or DuckDBErrorType.MismatchType or DuckDBErrorType.InvalidType;

    /// <summary>Of two records of one event, the one stored: the earlier in Kafka, as a replay would see them.</summary>
    private static IDuckDBAppenderRow AppendValue(IDuckDBAppenderRow row, object? value) => value switch
    {
        null => row.AppendNullValue(),
        string text => row.AppendValue(text),
        int number => row.AppendValue(number),
        long number => row.AppendValue(number),
        double number => row.AppendValue(number),
        bool flag => row.AppendValue(flag),
        DateTime time => row.AppendValue(time),
        DateOnly date => row.AppendValue(date),
        _ => throw new NotSupportedException($"no DuckDB appender for {value.GetType()}"),
    };

    // A BLOB comes as a stream over the reader's memory, which is gone once the reader is.
    private static object Detached(object value)
    {
        if (value is not Stream stream)
        {
            return value;
        }

        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private long Count(string table)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = $"SELECT count(*) FROM {FlightColumns.Quoted(table)}";
            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private void EnsureSchema()
    {
        lock (_gate)
        {
            CreateTables();
        }
    }

    private void CreateTables()
    {
        // No key index: a checkpoint rewrites a table's whole index, and no commit happens meanwhile (StoredEvents
        // keeps event ids unique instead). Files of older versions keep their key, which still holds.
        Execute($"CREATE TABLE IF NOT EXISTS {WarehouseTables.FlightsRaw} ({RecordColumnDefinitions})");
        AddMissingColumns(WarehouseTables.FlightsRaw, FlightColumns.All);
        // Appended to in the table's order, which is the list's: the table is Aero's alone, and new columns go at the end.
        Execute($"CREATE TABLE IF NOT EXISTS {WarehouseTables.Flights} ({ColumnDefinitions(ProcessedColumns.All)})");
        AddMissingColumns(WarehouseTables.Flights, ProcessedColumns.All);
        var byName = FlightColumns.All.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        var tableOrder = TableColumnNames(WarehouseTables.FlightsRaw).Select(name => byName.GetValueOrDefault(name)).ToList();
        // An older table has the record's columns in its own order; one with columns of its own keeps their defaults.
        _appendOrder = tableOrder.Contains(null) ? null : [.. tableOrder.OfType<FlightColumn>()];
        // Versions before the temporary staging table kept one in the file; it only held the last batch.
        Execute("DROP TABLE IF EXISTS main._aero_staging_flights_raw");
        Execute($"""
            CREATE TABLE IF NOT EXISTS {WarehouseTables.DeadLetters} (
              cluster_id VARCHAR NOT NULL, kafka_topic VARCHAR NOT NULL, kafka_partition INTEGER NOT NULL, kafka_offset BIGINT NOT NULL,
              reason VARCHAR NOT NULL, payload BLOB, dead_lettered_at TIMESTAMP NOT NULL,
              PRIMARY KEY (cluster_id, kafka_topic, kafka_partition, kafka_offset))
            """);
        Execute($"""
            CREATE TABLE IF NOT EXISTS {WarehouseTables.Offsets} (
              cluster_id VARCHAR NOT NULL, topic VARCHAR NOT NULL, kafka_partition INTEGER NOT NULL,
              next_offset BIGINT NOT NULL, updated_at TIMESTAMP NOT NULL, last_timestamp TIMESTAMP,
              PRIMARY KEY (cluster_id, topic, kafka_partition))
            """);
        // The Kafka timestamp of the record before next_offset; tables of older versions gain it, empty.
        Execute($"ALTER TABLE {WarehouseTables.Offsets} ADD COLUMN IF NOT EXISTS last_timestamp TIMESTAMP");
        CreateWindowTables();
        Execute(JobRunsTable.Create());
        Execute(FlowFilesTable.Create());
        foreach (var view in Views)
        {
            Execute($"CREATE OR REPLACE VIEW {view.Name} AS {view.QueryIn(ViewDialect.DuckDb)}");
        }
    }

    /// <summary>A table written by an older version of the record gains the newer columns, nullable: its rows have no value.</summary>
    private void AddMissingColumns(string table, IReadOnlyList<FlightColumn> columns)
    {
        var existing = new HashSet<string>(TableColumnNames(table), StringComparer.OrdinalIgnoreCase);
        foreach (var column in columns.Where(c => !existing.Contains(c.Name)))
        {
            Execute($"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {FlightColumns.Quoted(column.Name)} {SqlType(column.Type)}");
        }
    }

    /// <summary>A table's columns in its order, the appender's; an older <c>flights_raw</c> has its own order and may keep columns the record no longer has.</summary>
    private List<string> TableColumnNames(string table)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT column_name FROM information_schema.columns WHERE table_catalog = current_database() AND table_schema = current_schema() AND table_name = '{table}' ORDER BY ordinal_position";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private int Execute(string sql, params object?[] parameters)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new DuckDBParameter(parameter ?? DBNull.Value));
        }

        return command.ExecuteNonQuery();
    }

    private sealed record PendingWrite(LoadBatch Batch)
    {
        public TaskCompletionSource<WriteResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
