using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Akka.Configuration;
using Akka.Event;

namespace Aero.Streams.Warehouse.BigQuery;

/// <summary>
/// Google BigQuery as the warehouse. BigQuery has no transactions across tables and no unique constraints, so
/// exactly once rests on three things (architecture §4, reference §12):
/// <list type="bullet">
/// <item>Deterministic work: a load job's id is built from the cluster, topic, partition and offset range, so a
/// retried or replayed batch finds its job (409) and adopts it; streamed rows carry insertId topic-partition-offset.</item>
/// <item>Offsets from the data: every row stores its Kafka cluster id, topic, partition and offset, and the rows
/// written last for a batch and partition store the partition's next offset (<c>kafka_next_offset</c>). A row only
/// carries it once everything before it in the batch is stored, so the offsets never run ahead of the rows.</item>
/// <item>Uniqueness on event_id is the view <c>flights_raw_dedup</c>'s: a replay that BigQuery did not absorb is hidden there.</item>
/// </list>
/// </summary>
public sealed class BigQueryWarehouse : IWarehouse
{
    private static readonly string[] ActiveJobStates = ["pending", "running"];

    private readonly BigQuerySettings _settings;
    private readonly BigQueryClient _client;
    private readonly ILoggingAdapter _log;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, LoadSlot> _loadSlots = new(StringComparer.Ordinal);

    private BigQueryWarehouse(BigQuerySettings settings, BigQueryClient client, string credentials, ILoggingAdapter log, TimeProvider time)
    {
        _settings = settings;
        _client = client;
        _log = log;
        _time = time;
        Description = $"BigQuery {settings.Describe()}, {credentials}";
    }

    public string Description { get; }

    /// <summary>
    /// Connects, then creates the dataset, the tables and the view when missing and adds missing columns.
    /// Without a <paramref name="log"/>, warnings and errors go to standard error.
    /// </summary>
    public static async Task<BigQueryWarehouse> OpenAsync(
        BigQuerySettings settings,
        ILoggingAdapter? log = null,
        TimeProvider? time = null,
        CancellationToken cancellationToken = default)
    {
        if (settings.ProjectId.Length == 0)
        {
            throw new ConfigurationException("aero.warehouse.bigquery.project-id is empty: set it, or GCP_PROJECT_ID");
        }

        log ??= new StandardErrorLog();
        time ??= TimeProvider.System;
        var tokens = await BigQueryTokenSource.CreateAsync(settings, cancellationToken);
        var client = new BigQueryClient(settings, tokens, new BigQueryRetry(settings, log, time), time);
        var warehouse = new BigQueryWarehouse(settings, client, tokens.Kind, log, time);
        try
        {
            await warehouse.EnsureSchemaAsync(cancellationToken);
            return warehouse;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The highest <c>kafka_next_offset</c> per partition over flights_raw and dlq. In load mode it first waits until
    /// no job of this topic is pending or running: such a job (from a write cut short) may still land, and reading
    /// before it does would replay its rows next to it.
    /// </summary>
    public async Task<IReadOnlyDictionary<int, long>> StoredOffsetsAsync(string clusterId, string topic, CancellationToken cancellationToken = default)
    {
        if (_settings.Mode == BigQueryWriteMode.Load)
        {
            await WaitForActiveJobsAsync(clusterId, topic, cancellationToken);
        }

        var sql = $"""
            SELECT kafka_partition, MAX(kafka_next_offset) AS next_offset FROM (
              SELECT kafka_partition, kafka_next_offset FROM {Qualified(WarehouseTables.FlightsRaw)}
              WHERE kafka_cluster_id = @cluster AND kafka_topic = @topic
              UNION ALL
              SELECT kafka_partition, kafka_next_offset FROM {Qualified(WarehouseTables.DeadLetters)}
              WHERE kafka_cluster_id = @cluster AND kafka_topic = @topic)
            WHERE kafka_next_offset IS NOT NULL
            GROUP BY kafka_partition
            """;
        var result = await RunQueryAsync(sql, [StringParameter("cluster", clusterId), StringParameter("topic", topic)], cancellationToken);
        return result.Rows.ToDictionary(row => Convert.ToInt32(row[0], CultureInfo.InvariantCulture), row => Convert.ToInt64(row[1], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Writes the batch; returns once BigQuery confirmed every row. <see cref="WriteResult.Inserted"/> counts the rows
    /// written (in load mode: the rows of load jobs this call ran or adopted). <see cref="WriteResult.AlreadyStored"/> is
    /// always 0: BigQuery cannot tell whether an event id was there before without a query per batch, and the
    /// dedupe view hides such rows anyway.
    /// </summary>
    public Task<WriteResult> WriteAsync(LoadBatch batch, CancellationToken cancellationToken = default) =>
        _settings.Mode == BigQueryWriteMode.Load ? LoadAsync(batch, cancellationToken) : StreamAsync(batch, cancellationToken);

    /// <summary>Rows in a table; for flights_raw, in its dedupe view (one row per event id).</summary>
    public async Task<long> CountAsync(string table, CancellationToken cancellationToken = default)
    {
        var counted = table == WarehouseTables.FlightsRaw ? BigQueryRows.DedupeView : table;
        var result = await RunQueryAsync($"SELECT COUNT(*) FROM {Qualified(counted)}", [], cancellationToken);
        return Convert.ToInt64(result.Rows[0][0], CultureInfo.InvariantCulture);
    }

    /// <summary>GoogleSQL, with the warehouse's dataset as the default (unqualified table names resolve there).</summary>
    public Task<QueryResult> QueryAsync(string sql, CancellationToken cancellationToken = default) => RunQueryAsync(sql, [], cancellationToken);

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    // Load mode. Per partition: the dead letters' job, then the flights' job. Each job is atomic; the last one of a
    // partition carries kafka_next_offset. Crash points, and why each is safe:
    //  - before or during the first jobs.insert: nothing carries the new offset; the batch is replayed, and the same
    //    offset range gives the same job id, so a job that was accepted after all is adopted (409), not loaded twice.
    //  - after the dlq job, before the flights job: the dead letters carry no next offset (flights follow), so the
    //    partition resumes where it was; the replay dead-letters them again (a duplicate in dlq, nothing lost) and
    //    loads the flights.
    //  - a job accepted but not done: StoredOffsetsAsync waits until it is done, then reads its next offset or not.
    //  - after the last job: its rows carry the next offset; the replay starts after the batch.
    private async Task<WriteResult> LoadAsync(LoadBatch batch, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var inserted = 0;
        foreach (var part in Partitions(batch))
        {
            if (part.DeadLetters.Count > 0)
            {
                var advances = part.Rows.Count == 0 ? part.NextOffset : (long?)null;
                var lines = part.DeadLetters.Select(d => BigQueryRows.DeadLetter(d, batch.ClusterId, advances, now)).ToList();
                await RunLoadJobAsync(WarehouseTables.DeadLetters, batch.ClusterId, part, part.DeadLetters.Select(d => d.Position.Offset), lines, cancellationToken);
            }

            if (part.Rows.Count > 0)
            {
                var lines = part.Rows.Select(r => BigQueryRows.Flight(r, batch.ClusterId, part.NextOffset, now)).ToList();
                var job = await RunLoadJobAsync(WarehouseTables.FlightsRaw, batch.ClusterId, part, part.Rows.Select(r => r.Position.Offset), lines, cancellationToken);
                inserted += int.TryParse(job.Statistics?.Load?.OutputRows, CultureInfo.InvariantCulture, out var output) ? output : part.Rows.Count;
            }
        }

        return new WriteResult(inserted, 0, batch.DeadLetters.Count);
    }

    private async Task<Job> RunLoadJobAsync(
        string table,
        string clusterId,
        PartitionBatch part,
        IEnumerable<long> offsets,
        IReadOnlyList<byte[]> lines,
        CancellationToken cancellationToken)
    {
        var ordered = offsets.Order().ToList();
        var body = BigQueryRows.Ndjson(lines);
        var destination = Reference(table);
        var firstFailure = (long?)null;
        for (var attempt = 0; ; attempt++)
        {
            var jobId = LoadJobId(clusterId, _settings, part.Topic, part.Partition, ordered[0], ordered[^1], table, attempt);
            var job = new Job(
                new JobReference(_settings.ProjectId, jobId, _settings.Location),
                new JobConfiguration(
                    new JobConfigurationLoad(destination, "NEWLINE_DELIMITED_JSON", "WRITE_APPEND", "CREATE_NEVER", IgnoreUnknownValues: false, MaxBadRecords: 0),
                    new Dictionary<string, string> { ["aero"] = "load" }));
            try
            {
                await WaitForLoadSlotAsync(table, cancellationToken);
                _ = body.Length <= _settings.UploadChunkBytes
                    ? await _client.InsertJobMultipartAsync(job, body, cancellationToken)
                    : await _client.InsertJobResumableAsync(job, body, _settings.UploadChunkBytes, cancellationToken);
            }
            catch (BigQueryException error) when (error.IsDuplicate)
            {
                // Accepted before: by an attempt whose answer was lost, or by a run that crashed. Adopt it.
                _log.Info("BigQuery load job {0} exists already; adopting it", jobId);
            }

            // Never trust an insert's answer alone: the job's state is what jobs.get says once it is DONE.
            var done = await WaitForJobAsync(jobId, cancellationToken);
            if (done.Status?.ErrorResult is not { } failure)
            {
                BigQueryMetrics.LoadJobs.Add(1);
                return done;
            }

            var jobError = new BigQueryException($"load job {jobId}", null, failure.Reason, failure.Message ?? "failed");
            if (failure.Reason is not ("jobBackendError" or "jobInternalError" or "jobRateLimitExceeded" or "backendError" or "internalError" or "rateLimitExceeded"))
            {
                throw jobError;
            }

            // A job that failed cannot run again under its id: the next attempt gets the next one.
            firstFailure ??= _time.GetTimestamp();
            if (_time.GetElapsedTime(firstFailure.Value) >= _settings.RetryDeadline)
            {
                throw jobError;
            }

            var delay = TimeSpan.FromTicks(Math.Min(_settings.MaxBackoff.Ticks, _settings.InitialBackoff.Ticks << Math.Min(attempt, 20)));
            _log.Warning("{0}; retrying as attempt {1} in {2}", jobError.Message, attempt + 1, delay);
            await Task.Delay(delay, _time, cancellationToken);
        }
    }

    private async Task<Job> WaitForJobAsync(string jobId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var job = await _client.GetJobAsync(_settings.ProjectId, jobId, _settings.Location, cancellationToken)
                ?? throw new BigQueryException("jobs.get", 404, "notFound", $"job {jobId} in {_settings.Location} was accepted but cannot be found");
            if (job.Status?.State == "DONE")
            {
                return job;
            }

            await Task.Delay(_settings.JobPollInterval, _time, cancellationToken);
        }
    }

    /// <summary>Keeps load jobs into one table at least load-interval apart (1,500 per table per day, failures included).</summary>
    private async Task WaitForLoadSlotAsync(string table, CancellationToken cancellationToken)
    {
        var slot = _loadSlots.GetOrAdd(table, _ => new LoadSlot());
        await slot.Gate.WaitAsync(cancellationToken);
        try
        {
            var wait = slot.NextAllowed - _time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, cancellationToken);
            }

            slot.NextAllowed = _time.GetUtcNow() + _settings.LoadInterval;
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    private async Task WaitForActiveJobsAsync(string clusterId, string topic, CancellationToken cancellationToken)
    {
        var prefix = JobPrefix(topic) + "_";
        var scope = "_" + JobScope(clusterId, _settings, topic) + "_a";
        while (true)
        {
            var active = await _client.ListJobsAsync(_settings.ProjectId, ActiveJobStates, cancellationToken);
            var ours = active.Count(j => j.JobReference?.JobId is { } id && id.StartsWith(prefix, StringComparison.Ordinal) && id.Contains(scope, StringComparison.Ordinal));
            if (ours == 0)
            {
                return;
            }

            _log.Info("Waiting for {0} BigQuery load job(s) of {1} to finish before reading the stored offsets", ours, topic);
            await Task.Delay(_settings.JobPollInterval, _time, cancellationToken);
        }
    }

    // Streaming mode. Per partition, every row but the one with the highest offset goes first, with no next offset;
    // the last row goes alone afterwards and carries it. insertAll is not atomic (rows of one request can land while
    // others fail), so this is what keeps the offsets behind every row they cover: a crash at any point replays
    // from before the rows that are missing, and the replayed rows that did land are hidden by the view.
    private async Task<WriteResult> StreamAsync(LoadBatch batch, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var parts = Partitions(batch).ToList();
        var inserted = 0;
        var deadLettered = 0;
        foreach (var last in new[] { false, true })
        {
            var letters = new List<StreamedRow>();
            var flights = new List<(StreamedRow Row, LoadRow Source, long? Next)>();
            foreach (var part in parts)
            {
                var lastOffset = Math.Max(part.Rows.LastOrDefault()?.Position.Offset ?? -1, part.DeadLetters.LastOrDefault()?.Position.Offset ?? -1);
                long? next = last ? part.NextOffset : null;
                letters.AddRange(part.DeadLetters
                    .Where(d => d.Position.Offset == lastOffset == last)
                    .Select(d => StreamedDeadLetter(d, batch.ClusterId, next, now)));
                flights.AddRange(part.Rows
                    .Where(r => r.Position.Offset == lastOffset == last)
                    .Select(r => (new StreamedRow(InsertId(r.Position), BigQueryRows.Flight(r, batch.ClusterId, next, now)), r, next)));
            }

            await InsertDeadLettersAsync(letters, cancellationToken);
            deadLettered += letters.Count;
            var invalid = await InsertRowsAsync(WarehouseTables.FlightsRaw, flights.Select(f => f.Row).ToList(), cancellationToken);
            inserted += flights.Count - invalid.Count;

            // Rows BigQuery calls invalid are dead letters now, with BigQuery's reason, and keep their next offset.
            var rejected = invalid
                .Select(i => (Flight: flights[i.Index], i.Reason))
                .Select(r => StreamedDeadLetter(
                    new DeadLetter(Encoding.UTF8.GetBytes(r.Flight.Source.RawJson), $"BigQuery rejected the row: {r.Reason}", r.Flight.Source.Position),
                    batch.ClusterId,
                    r.Flight.Next,
                    now))
                .ToList();
            await InsertDeadLettersAsync(rejected, cancellationToken);
            deadLettered += rejected.Count;
        }

        BigQueryMetrics.StreamedRows.Add(inserted);
        return new WriteResult(inserted, 0, deadLettered);
    }

    // A dead letter must fit an insertAll request whatever its payload: beyond half the request budget (base64
    // grows it by a third) the payload is cut, and the reason says so.
    private StreamedRow StreamedDeadLetter(DeadLetter letter, string clusterId, long? nextOffset, DateTime now)
    {
        var limit = _settings.StreamingMaxBytes / 2;
        if (letter.Payload.Length > limit)
        {
            letter = letter with { Payload = letter.Payload[..limit], Reason = $"{letter.Reason} (payload cut to its first {limit} of {letter.Payload.Length} bytes)" };
        }

        return new StreamedRow(InsertId(letter.Position), BigQueryRows.DeadLetter(letter, clusterId, nextOffset, now));
    }

    // Nowhere further to put a dead letter that BigQuery refuses: the write fails, loudly, and nothing is skipped.
    private async Task InsertDeadLettersAsync(List<StreamedRow> letters, CancellationToken cancellationToken)
    {
        var refused = await InsertRowsAsync(WarehouseTables.DeadLetters, letters, cancellationToken);
        if (refused.Count > 0)
        {
            throw new BigQueryException("tabledata.insertAll", 200, "invalid", $"{refused.Count} dead letters refused by the dlq table, the first: {refused[0].Reason}");
        }
    }

    /// <summary>
    /// insertAll in requests of at most max-rows and max-bytes, halving a request BigQuery finds too large, re-sending
    /// only the rows that failed for a reason other than <c>invalid</c> (<c>stopped</c> rows were not inserted only
    /// because another row was bad). Returns the invalid rows by index, with BigQuery's reason.
    /// </summary>
    private async Task<List<(int Index, string Reason)>> InsertRowsAsync(string table, List<StreamedRow> rows, CancellationToken cancellationToken)
    {
        var invalid = new List<(int, string)>();
        var reference = Reference(table);
        var pending = new Queue<int>(Enumerable.Range(0, rows.Count));
        var maxRows = _settings.StreamingMaxRows;
        var firstFailure = (long?)null;
        var failures = 0;
        while (pending.Count > 0)
        {
            var chunk = new List<int>();
            var bytes = 0;
            while (pending.Count > 0 && chunk.Count < maxRows)
            {
                var size = BigQueryClient.InsertAllSize([rows[pending.Peek()]]);
                if (chunk.Count > 0 && bytes + size > _settings.StreamingMaxBytes)
                {
                    break;
                }

                bytes += size;
                chunk.Add(pending.Dequeue());
            }

            InsertAllResponse response;
            try
            {
                response = await _client.InsertAllAsync(reference, chunk.Select(i => rows[i]).ToList(), cancellationToken);
            }
            catch (BigQueryException error) when (IsTooLarge(error))
            {
                if (chunk.Count == 1)
                {
                    // One row alone is too large: it can never be streamed, so it is the caller's to dead-letter.
                    invalid.Add((chunk[0], $"too large for insertAll: {error.Message}"));
                    continue;
                }

                maxRows = chunk.Count / 2;
                _log.Warning("BigQuery insertAll of {0} rows too large ({1}); sending at most {2} rows per request", chunk.Count, error.Message, maxRows);
                Requeue(pending, chunk);
                continue;
            }

            var retry = new List<int>();
            var onlyStopped = true;
            var invalidBefore = invalid.Count;
            foreach (var rowError in response.InsertErrors ?? [])
            {
                if (rowError.Index < 0 || rowError.Index >= chunk.Count)
                {
                    throw new BigQueryException("tabledata.insertAll", 200, null, $"an insert error for row {rowError.Index} of a request of {chunk.Count}");
                }

                var errors = rowError.Errors ?? [];
                if (errors.Count > 0 && errors.All(e => e.Reason == "invalid"))
                {
                    invalid.Add((chunk[(int)rowError.Index], string.Join("; ", errors.Select(e => $"{e.Reason}: {e.Message}"))));
                }
                else
                {
                    retry.Add(chunk[(int)rowError.Index]);
                    onlyStopped &= errors.Count > 0 && errors.All(e => e.Reason == "stopped");
                }
            }

            if (retry.Count == 0)
            {
                continue;
            }

            Requeue(pending, retry);
            // Stopped rows whose bad neighbours just left for the dlq go again at once; that can only happen as often
            // as there are invalid rows. Any other row error (backendError, timeout) backs off like a transient failure.
            if (!onlyStopped || invalid.Count == invalidBefore)
            {
                firstFailure ??= _time.GetTimestamp();
                if (_time.GetElapsedTime(firstFailure.Value) >= _settings.RetryDeadline)
                {
                    throw new BigQueryException("tabledata.insertAll", 200, null, $"{retry.Count} rows still failing after {_settings.RetryDeadline}");
                }

                var delay = TimeSpan.FromTicks(Math.Min(_settings.MaxBackoff.Ticks, _settings.InitialBackoff.Ticks << Math.Min(failures++, 20)));
                _log.Warning("BigQuery insertAll: {0} rows failed ({1}); sending them again in {2}", retry.Count, response.InsertErrors![0].Errors?.FirstOrDefault()?.Reason, delay);
                await Task.Delay(delay, _time, cancellationToken);
            }
        }

        return invalid;
    }

    private static void Requeue(Queue<int> pending, List<int> first)
    {
        var rest = pending.ToList();
        pending.Clear();
        foreach (var index in first.Concat(rest))
        {
            pending.Enqueue(index);
        }
    }

    // 400 "Request payload size exceeds the limit" / "too many rows present in the request", or a proxy's 413.
    private static bool IsTooLarge(BigQueryException error) =>
        error.HttpStatus == 413
        || (error.HttpStatus == 400
            && (error.Message.Contains("exceeds the limit", StringComparison.OrdinalIgnoreCase)
                || error.Message.Contains("too many rows", StringComparison.OrdinalIgnoreCase)));

    private async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        var project = _settings.ProjectId;
        if (await _client.GetDatasetAsync(project, _settings.Dataset, cancellationToken) is null)
        {
            await CreateIfAbsentAsync(() => _client.InsertDatasetAsync(new Dataset(new DatasetReference(project, _settings.Dataset), _settings.Location), cancellationToken));
        }

        await EnsureTableAsync(
            new Table(
                Reference(WarehouseTables.FlightsRaw),
                new TableSchema([.. BigQueryRows.FlightsRawFields]),
                new TimePartitioning("DAY", "timestamp"),
                new Clustering(["airline", "origin"]),
                Description: "Flight records loaded by Aero; may hold a replayed event twice: query flights_raw_dedup"),
            cancellationToken);
        await EnsureTableAsync(
            new Table(Reference(WarehouseTables.DeadLetters), new TableSchema([.. BigQueryRows.DeadLetterFields]), Description: "Records Aero could not load, with the reason"),
            cancellationToken);

        if (await _client.GetTableAsync(Reference(BigQueryRows.DedupeView), cancellationToken) is null)
        {
            await CreateIfAbsentAsync(() => _client.InsertTableAsync(
                new Table(
                    Reference(BigQueryRows.DedupeView),
                    View: new ViewDefinition(BigQueryRows.DedupeQuery(project, _settings.Dataset), UseLegacySql: false),
                    Description: "flights_raw with one row per event_id: the one from the lowest Kafka offset"),
                cancellationToken));
        }
    }

    private async Task EnsureTableAsync(Table wanted, CancellationToken cancellationToken)
    {
        var existing = await _client.GetTableAsync(wanted.TableReference, cancellationToken);
        if (existing is null)
        {
            await CreateIfAbsentAsync(() => _client.InsertTableAsync(wanted, cancellationToken));
            return;
        }

        // Columns added in later versions: appended as NULLABLE, the only kind of column tables.patch may add.
        var fields = existing.Schema?.Fields ?? [];
        var missing = wanted.Schema!.Fields.Where(f => fields.All(e => !string.Equals(e.Name, f.Name, StringComparison.OrdinalIgnoreCase))).ToList();
        if (missing.Count > 0)
        {
            _log.Info("Adding columns {0} to BigQuery table {1}", string.Join(", ", missing.Select(f => f.Name)), wanted.TableReference.TableId);
            await _client.PatchTableAsync(
                new Table(wanted.TableReference, new TableSchema([.. fields, .. missing.Select(f => f with { Mode = "NULLABLE" })])),
                cancellationToken);
        }
    }

    private static async Task CreateIfAbsentAsync<T>(Func<Task<T>> create)
    {
        try
        {
            await create();
        }
        catch (BigQueryException error) when (error.IsDuplicate)
        {
            // Another node created it between our get and our insert.
        }
    }

    private async Task<QueryResult> RunQueryAsync(string sql, List<QueryParameter> parameters, CancellationToken cancellationToken)
    {
        var request = new QueryRequest(
            sql,
            UseLegacySql: false,
            _settings.Location,
            TimeoutMs: 10_000,
            parameters.Count > 0 ? "NAMED" : null,
            parameters.Count > 0 ? parameters : null,
            new DatasetReference(_settings.ProjectId, _settings.Dataset));
        var (schema, rows) = await _client.QueryAsync(_settings.ProjectId, request, cancellationToken);
        var fields = schema?.Fields ?? [];
        var columns = fields.Select(f => new QueryColumn(f.Name, f.Type)).ToList();
        var values = rows.Select(row => fields.Select((field, i) => Value(field, row.F is { } cells && i < cells.Count ? cells[i].V : default)).ToArray()).ToList();
        return new QueryResult(columns, values);
    }

    /// <summary>A query cell as a CLR value: BigQuery sends every scalar as a string (TIMESTAMP as epoch seconds).</summary>
    private static object? Value(TableFieldSchema field, JsonElement cell)
    {
        if (cell.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return null;
        }

        if (cell.ValueKind != JsonValueKind.String || field.Mode == "REPEATED")
        {
            return cell.GetRawText();
        }

        var text = cell.GetString()!;
        var invariant = CultureInfo.InvariantCulture;
        return field.Type switch
        {
            "INTEGER" or "INT64" => long.Parse(text, invariant),
            "FLOAT" or "FLOAT64" => double.Parse(text, invariant),
            "BOOLEAN" or "BOOL" => bool.Parse(text),
            "NUMERIC" or "BIGNUMERIC" => decimal.Parse(text, NumberStyles.Float, invariant),
            "TIMESTAMP" => DateTime.UnixEpoch.AddTicks((long)(decimal.Parse(text, NumberStyles.Float, invariant) * TimeSpan.TicksPerSecond)),
            "BYTES" => Convert.FromBase64String(text),
            _ => text,
        };
    }

    private static QueryParameter StringParameter(string name, string value) => new(name, new QueryParameterType("STRING"), new QueryParameterValue(value));

    private string Qualified(string table) =>
        table.Contains('`', StringComparison.Ordinal)
            ? throw new ArgumentException($"not a table name: {table}", nameof(table))
            : $"`{_settings.ProjectId}.{_settings.Dataset}.{table}`";

    private TableReference Reference(string table) => new(_settings.ProjectId, _settings.Dataset, table);

    private static string InsertId(KafkaPosition position) => $"{position.Topic}-{position.Partition}-{position.Offset}";

    /// <summary>
    /// <c>aero_&lt;topic&gt;_&lt;partition&gt;_&lt;first offset&gt;_&lt;last offset&gt;_&lt;table&gt;_&lt;scope&gt;_a&lt;attempt&gt;</c>. Job ids allow
    /// [A-Za-z0-9_-], so other characters of the topic become '_'. The table tells a batch's two jobs apart; the scope
    /// (a hash of the cluster id, dataset and exact topic) keeps topics that sanitise alike, or a new Kafka cluster
    /// starting again at offset 0, from adopting each other's jobs.
    /// </summary>
    internal static string LoadJobId(string clusterId, BigQuerySettings settings, string topic, int partition, long first, long last, string table, int attempt) =>
        string.Join(
            '_',
            JobPrefix(topic),
            partition.ToString(CultureInfo.InvariantCulture),
            first.ToString(CultureInfo.InvariantCulture),
            last.ToString(CultureInfo.InvariantCulture),
            table,
            JobScope(clusterId, settings, topic),
            "a" + attempt.ToString(CultureInfo.InvariantCulture));

    private static string JobPrefix(string topic) =>
        "aero_" + new string(topic.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_').Take(200).ToArray());

    private static string JobScope(string clusterId, BigQuerySettings settings, string topic) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{clusterId}\n{settings.ProjectId}.{settings.Dataset}\n{topic}")))[..12];

    private static IEnumerable<PartitionBatch> Partitions(LoadBatch batch)
    {
        var keys = batch.Rows.Select(r => (r.Position.Topic, r.Position.Partition))
            .Concat(batch.DeadLetters.Select(d => (d.Position.Topic, d.Position.Partition)))
            .Distinct()
            .Order();
        foreach (var (topic, partition) in keys)
        {
            var rows = batch.Rows.Where(r => r.Position.Partition == partition && r.Position.Topic == topic).OrderBy(r => r.Position.Offset).ToList();
            var letters = batch.DeadLetters.Where(d => d.Position.Partition == partition && d.Position.Topic == topic).OrderBy(d => d.Position.Offset).ToList();
            var highest = Math.Max(rows.LastOrDefault()?.Position.Offset ?? -1, letters.LastOrDefault()?.Position.Offset ?? -1);
            var next = batch.NextOffsets.TryGetValue((topic, partition), out var stated) ? Math.Max(stated, highest + 1) : highest + 1;
            yield return new PartitionBatch(topic, partition, rows, letters, next);
        }
    }

    private sealed record PartitionBatch(string Topic, int Partition, List<LoadRow> Rows, List<DeadLetter> DeadLetters, long NextOffset);

    private sealed class LoadSlot
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public DateTimeOffset NextAllowed { get; set; } = DateTimeOffset.MinValue;
    }
}
