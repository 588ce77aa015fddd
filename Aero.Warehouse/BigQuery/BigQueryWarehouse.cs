using System.Globalization;
using System.Text;
using System.Text.Json;
using Aero.Kafka.Messages;
using Aero.Warehouse.Views;
using Akka.Configuration;
using Akka.Event;

namespace Aero.Warehouse.BigQuery;

/// <summary>
/// Google BigQuery as the warehouse. BigQuery has no transactions across tables and no unique constraints, so
/// exactly once rests on three things (architecture §4, reference §12):
/// <list type="bullet">
/// <item>Deterministic work: a load job's id is built from the cluster, topic, partition and offset range, so a
/// retried or replayed batch finds its job (409) and adopts it; streamed rows carry insertId cluster-topic-partition-offset.</item>
/// <item>Offsets from the data: every row stores its Kafka cluster id, topic, partition and offset, and the rows
/// written last for a batch and partition store the partition's next offset (<c>kafka_next_offset</c>). A row only
/// carries it once everything before it in the batch is stored, so the offsets never run ahead of the rows. A batch
/// that stores no row for a partition stores its next offset alone, in <c>_aero_offsets</c>. With windows, a batch's
/// next offsets go in its batch rows instead, written after its partials (BigQueryWarehouse.Windows.cs).</item>
/// <item>Uniqueness on event_id: events already stored are left out of a batch (one partition-pruned query), and
/// the view <c>flights_raw_dedup</c> hides what a race between two writers still lets through.</item>
/// </list>
/// </summary>
public sealed partial class BigQueryWarehouse : IWarehouse
{
    /// <summary>What to read the transformed flights from: <c>flights</c> with one row per event.</summary>
    public const string FlightsView = BigQueryRows.ProcessedDedupeView;

    // Event ids per existence query: a few hundred KB of parameters, well under BigQuery's request limits.
    private const int IdsPerQuery = 10_000;

    private readonly BigQuerySettings _settings;
    private readonly BigQueryClient _client;
    private readonly BigQueryLoadJobs _jobs;
    private readonly BigQueryStreamer _streamer;
    private readonly ILoggingAdapter _log;
    private readonly TimeProvider _time;

    // One write at a time per instance: a batch's existence check and the write it decides must not interleave with
    // another's, or the same event arriving on two partitions at once would be stored twice. (Between nodes, that
    // race is the view's to hide.) Load jobs into a table are minutes apart anyway (load-interval).
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    private BigQueryWarehouse(BigQuerySettings settings, BigQueryClient client, string credentials, ILoggingAdapter log, TimeProvider time)
    {
        _settings = settings;
        _client = client;
        _jobs = new BigQueryLoadJobs(settings, client, log, time);
        _streamer = new BigQueryStreamer(settings, client, log, time);
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
        var client = new BigQueryClient(settings, tokens, new BigQueryRetry(settings, log, time), log, time);
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
    /// The highest next offset per partition over flights_raw, dlq, _aero_offsets and (with windows) _aero_window_batches. In load mode it first waits
    /// until no job of this topic is pending or running: such a job (from a write cut short) may still land, and
    /// reading before it does would replay its rows next to it. The positions carry no timestamp: the offsets come
    /// from the rows, so the load checks them against the log end only.
    /// </summary>
    public async Task<IReadOnlyDictionary<int, KafkaPosition>> StoredPositionsAsync(string clusterId, string topic, CancellationToken cancellationToken = default)
    {
        if (_settings.Mode == BigQueryWriteMode.Load)
        {
            await _jobs.WaitForActiveJobsAsync(clusterId, topic, cancellationToken);
        }

        var stored = await ReadStoredOffsetsAsync(clusterId, cancellationToken, topic);
        return stored.ToDictionary(entry => entry.Key.Partition, entry => new KafkaPosition(topic, entry.Key.Partition, entry.Value - 1, null));
    }

    /// <summary>The highest next offset per topic and partition of a cluster (of one topic, when named).</summary>
    private async Task<Dictionary<(string Topic, int Partition), long>> ReadStoredOffsetsAsync(string clusterId, CancellationToken cancellationToken, string? topic = null)
    {
        var topics = topic is null ? "" : " AND kafka_topic = @topic";
        var sql = $"""
            SELECT kafka_topic, kafka_partition, MAX(next_offset) AS next_offset FROM (
              SELECT kafka_topic, kafka_partition, kafka_next_offset AS next_offset FROM {Qualified(WarehouseTables.FlightsRaw)}
              WHERE kafka_cluster_id = @cluster{topics}
              UNION ALL
              SELECT kafka_topic, kafka_partition, kafka_next_offset FROM {Qualified(WarehouseTables.DeadLetters)}
              WHERE {BigQueryRows.DeadLetterClusterColumn} = @cluster{topics}
              UNION ALL
              SELECT topic AS kafka_topic, kafka_partition, next_offset FROM {Qualified(WarehouseTables.Offsets)}
              WHERE cluster_id = @cluster{topics.Replace("kafka_topic", "topic", StringComparison.Ordinal)}
              UNION ALL
              SELECT topic AS kafka_topic, kafka_partition, next_offset FROM {Qualified(BigQueryRows.WindowBatches)}
              WHERE cluster_id = @cluster{topics.Replace("kafka_topic", "topic", StringComparison.Ordinal)})
            WHERE next_offset IS NOT NULL
            GROUP BY kafka_topic, kafka_partition
            """;
        List<QueryParameter> parameters = topic is null
            ? [Parameter("cluster", "STRING", clusterId)]
            : [Parameter("cluster", "STRING", clusterId), Parameter("topic", "STRING", topic)];
        var result = await RunQueryAsync(sql, parameters, cancellationToken);
        return result.Rows.ToDictionary(
            row => ((string)row[0]!, Convert.ToInt32(row[1], CultureInfo.InvariantCulture)),
            row => Convert.ToInt64(row[2], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Writes the batch; returns once BigQuery confirmed every row. Events already stored, or twice in the batch, are
    /// left out and counted as <see cref="WriteResult.AlreadyStored"/>, as is a load job another writer had run with
    /// the same records; <see cref="WriteResult.Inserted"/> counts the rest.
    /// </summary>
    public Task<WriteResult> WriteAsync(LoadBatch batch, CancellationToken cancellationToken = default) =>
        RefusedRows.WriteAsync(batch, WriteOnceAsync, cancellationToken);

    private async Task<WriteResult> WriteOnceAsync(LoadBatch batch, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            // No transactions here: read just before the write, the fence keeps out a writer stale by then, while the
            // stored offsets (the highest per partition) never move back anyway.
            var stored = OffsetFence.FirstOffsets(batch).Count == 0 ? [] : await ReadStoredOffsetsAsync(batch.ClusterId, cancellationToken);
            int fenced;
            (batch, fenced) = OffsetFence.Apply(batch, key => stored.TryGetValue(key, out var next) ? next : null);
            var (fresh, already, storedBefore) = await LeaveOutStoredAsync(batch.ClusterId, batch.Rows, cancellationToken);
            var parts = Partitions(batch, fresh, storedBefore);
            // With windows, a partition advances by its batch row alone (WriteWindowsAsync), written after the rest.
            var advance = batch.Windows is null;
            var rejected = new HashSet<KafkaPosition>();
            var (inserted, adopted, deadLettered) = _settings.Mode == BigQueryWriteMode.Load
                ? await LoadAsync(batch.ClusterId, parts, advance, cancellationToken)
                : await StreamOrLoadAsync(batch.ClusterId, parts, advance, rejected, cancellationToken);
            await WriteWindowsAsync(batch, parts, rejected, cancellationToken);
            return new WriteResult(inserted, already + adopted, deadLettered, Fenced: fenced);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public IReadOnlyList<WarehouseView> Views => WarehouseViews.WithWindows;

    public async Task<bool> HasTableAsync(string name, CancellationToken cancellationToken = default) =>
        await _client.GetTableAsync(Reference(name), cancellationToken) is not null;

    /// <summary>
    /// Rows in a table; for flights_raw, in its dedupe view (one row per event id); for _aero_offsets (append-only),
    /// its keys.
    /// </summary>
    public async Task<long> CountAsync(string table, CancellationToken cancellationToken = default)
    {
        var sql = table switch
        {
            WarehouseTables.FlightsRaw => $"SELECT COUNT(*) FROM {Qualified(BigQueryRows.DedupeView)}",
            WarehouseTables.Flights => $"SELECT COUNT(*) FROM {Qualified(BigQueryRows.ProcessedDedupeView)}",
            WarehouseTables.Offsets => $"SELECT COUNT(*) FROM (SELECT DISTINCT cluster_id, topic, kafka_partition FROM {Qualified(table)})",
            _ => $"SELECT COUNT(*) FROM {Qualified(table)}",
        };
        var result = await RunQueryAsync(sql, [], cancellationToken);
        return Convert.ToInt64(result.Rows[0][0], CultureInfo.InvariantCulture);
    }

    /// <summary>GoogleSQL, with the warehouse's dataset as the default (unqualified table names resolve there).</summary>
    public Task<QueryResult> QueryAsync(string sql, CancellationToken cancellationToken = default) => RunQueryAsync(sql, [], cancellationToken);

    /// <summary>
    /// Runs GoogleSQL, one statement or a script (statements separated by <c>;</c>, transactions in it), as one query
    /// job and returns the rows of its last statement. <paramref name="requestId"/> (at most 36 ASCII characters) makes
    /// it idempotent for 15 minutes: a retried or re-sent call finds the job the first one started and never runs it
    /// twice. Cancellation cancels the job; a failed job is a <see cref="BigQueryException"/> with BigQuery's message.
    /// </summary>
    public Task<QueryResult> RunScriptAsync(string script, string requestId, CancellationToken cancellationToken) =>
        requestId.Length is 0 or > 36 || !Ascii.IsValid(requestId)
            ? throw new ArgumentException($"a requestId has 1 to 36 ASCII characters, not '{requestId}'", nameof(requestId))
            : RunQueryAsync(script, [], cancellationToken, requestId);

    /// <summary>
    /// Runs one DML statement (INSERT, UPDATE, DELETE, MERGE) and returns the rows it affected. BigQuery runs mutating
    /// DML on a table one after another (a conflicting one waits, or fails when a transaction holds the table), so a
    /// conditional UPDATE or MERGE decides between two callers.
    /// </summary>
    public async Task<long> ExecuteDmlAsync(string sql, CancellationToken cancellationToken = default)
    {
        var (_, _, affected) = await _client.QueryAsync(_settings.ProjectId, Request(sql, []), cancellationToken);
        return affected ?? throw new BigQueryException("jobs.query", null, null, $"no numDmlAffectedRows for a DML statement: {sql.Split('\n')[0]}");
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        _writeGate.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The batch without events stored already or repeated in the batch (<see cref="DuplicateRule"/>), how many were
    /// left out, and which of those are stored from this very position (<paramref name="clusterId"/>, topic, partition,
    /// offset): an earlier attempt of this batch stored them, so they still count in its windows. An event's timestamp
    /// is as deterministic as its id, so the lookup reads only the partitions (days) of the batch's timestamps. Two
    /// writers of the same events can both find them missing: the load job id (or insertId) and then the view catch that.
    /// </summary>
    private async Task<(List<LoadRow> Fresh, int Already, List<LoadRow> StoredBefore)> LeaveOutStoredAsync(string clusterId, IReadOnlyList<LoadRow> rows, CancellationToken cancellationToken)
    {
        var firsts = DuplicateRule.FirstPerEvent(rows);
        var stored = new HashSet<string>(StringComparer.Ordinal);
        var storedHere = new HashSet<(string EventId, string Topic, int Partition, long Offset)>();
        foreach (var chunk in firsts.Chunk(IdsPerQuery))
        {
            var sql = $"""
                SELECT DISTINCT event_id, kafka_cluster_id, kafka_topic, kafka_partition, kafka_offset FROM {Qualified(WarehouseTables.FlightsRaw)}
                WHERE `timestamp` BETWEEN @from AND @to AND event_id IN (SELECT * FROM UNNEST(@ids))
                """;
            var ids = new QueryParameter(
                "ids",
                new QueryParameterType("ARRAY", new QueryParameterType("STRING")),
                new QueryParameterValue(null, [.. chunk.Select(r => new QueryParameterValue(r.Flight.EventId))]));
            var found = await RunQueryAsync(
                sql,
                [
                    Parameter("from", "TIMESTAMP", BigQueryRows.Timestamp(chunk.Min(r => r.Flight.Timestamp))),
                    Parameter("to", "TIMESTAMP", BigQueryRows.Timestamp(chunk.Max(r => r.Flight.Timestamp))),
                    ids,
                ],
                cancellationToken);
            foreach (var row in found.Rows)
            {
                stored.Add((string)row[0]!);
                if ((string)row[1]! == clusterId)
                {
                    storedHere.Add(((string)row[0]!, (string)row[2]!, Convert.ToInt32(row[3], CultureInfo.InvariantCulture), Convert.ToInt64(row[4], CultureInfo.InvariantCulture)));
                }
            }
        }

        var fresh = firsts.Where(r => !stored.Contains(r.Flight.EventId)).ToList();
        var storedBefore = firsts.Where(r => storedHere.Contains((r.Flight.EventId, r.Position.Topic, r.Position.Partition, r.Position.Offset))).ToList();
        return (fresh, rows.Count - fresh.Count, storedBefore);
    }

    // Load mode. Per partition: the dead letters' job, the processed flights' job, then the flights' job (or, when
    // none has anything, a job with the next offset alone). Each job is atomic; the last one of a partition carries
    // the next offset. Processed rows whose raw rows never land (a crash, or refused rows) are hidden by flights_dedup.
    // Crash points, and why each is safe:
    //  - before or during the first jobs.insert: nothing carries the new offset; the batch is replayed, and the same
    //    offset range gives the same job id, so a job that was accepted after all is adopted (409), not loaded twice.
    //  - after the dlq job, before the flights job: the dead letters carry no next offset (flights follow), so the
    //    partition resumes where it was; the replay dead-letters them again (a duplicate in dlq, nothing lost) and
    //    loads the flights.
    //  - a job accepted but not done: StoredOffsetsAsync waits until it is done, then reads its next offset or not.
    //  - after the last job: its rows carry the next offset; the replay starts after the batch.
    private async Task<(int Inserted, int Adopted, int DeadLettered)> LoadAsync(string clusterId, List<PartitionBatch> parts, bool advance, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var (inserted, adopted, deadLettered) = (0, 0, 0);
        foreach (var part in parts)
        {
            var next = advance ? part.NextOffset : null;
            if (part.DeadLetters.Count > 0)
            {
                var advances = part.Rows.Count == 0 ? next : null;
                var lines = part.DeadLetters.Select(d => BigQueryRows.DeadLetter(d, clusterId, advances, now)).ToList();
                await _jobs.RunAsync(WarehouseTables.DeadLetters, clusterId, part.Topic, part.Partition, Range(part.DeadLetters.Select(d => d.Position.Offset)), BigQueryRows.Ndjson(lines), cancellationToken);
                deadLettered += part.DeadLetters.Count;
            }

            var processed = part.Rows.Where(r => r.Processed is not null).ToList();
            if (processed.Count > 0)
            {
                var processedLines = processed.Select(r => BigQueryRows.Processed(r, clusterId)).ToList();
                try
                {
                    await _jobs.RunAsync(WarehouseTables.Flights, clusterId, part.Topic, part.Partition, Range(processed.Select(r => r.Position.Offset)), BigQueryRows.Ndjson(processedLines), cancellationToken);
                }
                catch (BigQueryException refused) when (refused.HttpStatus is null && refused.Reason == "invalid")
                {
                    throw new RowsRefusedException(refused.Message, refused, RefusedRowsOf(refused, processed, processedLines));
                }
            }

            if (part.Rows.Count > 0)
            {
                var lines = part.Rows.Select(r => BigQueryRows.Flight(r, clusterId, next, now)).ToList();
                bool created;
                try
                {
                    (_, created) = await _jobs.RunAsync(WarehouseTables.FlightsRaw, clusterId, part.Topic, part.Partition, Range(part.Rows.Select(r => r.Position.Offset)), BigQueryRows.Ndjson(lines), cancellationToken);
                }
                catch (BigQueryException refused) when (refused.HttpStatus is null && refused.Reason == "invalid")
                {
                    // The job read the rows and found values flights_raw cannot hold (errors[] names them). The dead
                    // letters' job before it carried no next offset; a replay of them adopts that job.
                    throw new RowsRefusedException(refused.Message, refused, RefusedRowsOf(refused, part.Rows, lines));
                }

                (inserted, adopted) = created ? (inserted + part.Rows.Count, adopted) : (inserted, adopted + part.Rows.Count);
            }

            if (part.Rows.Count == 0 && part.DeadLetters.Count == 0 && next is { } offsetOnly)
            {
                var line = BigQueryRows.Offset(clusterId, part.Topic, part.Partition, offsetOnly, now);
                await _jobs.RunAsync(WarehouseTables.Offsets, clusterId, part.Topic, part.Partition, (offsetOnly, offsetOnly), BigQueryRows.Ndjson([line]), cancellationToken);
            }
        }

        return (inserted, adopted, deadLettered);
    }

    /// <summary>
    /// The rows a failed load job names in its errors[] ("... row starting at position N", a byte offset into the
    /// NDJSON body), each with its error; BigQuery lists only the first few, so a later attempt may name more.
    /// </summary>
    private static List<(KafkaPosition Position, string Reason)> RefusedRowsOf(BigQueryException refused, List<LoadRow> rows, List<byte[]> lines)
    {
        var starts = new Dictionary<long, LoadRow>();
        long at = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            starts[at] = rows[i];
            at += lines[i].Length + 1;
        }

        return [.. refused.Details
            .Select(detail => (detail, match: RowPosition.Match(detail)))
            .Where(d => d.match.Success && starts.ContainsKey(long.Parse(d.match.Groups[1].Value, CultureInfo.InvariantCulture)))
            .Select(d => (starts[long.Parse(d.match.Groups[1].Value, CultureInfo.InvariantCulture)].Position, d.detail))];
    }

    private static readonly System.Text.RegularExpressions.Regex RowPosition =
        new("row starting at position (\\d+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    // Streaming mode, except for what insertAll refuses though it is good data: a partition holding a row whose
    // partitioning date is outside the streaming window goes whole through a load job, and so does the rest of one
    // whose rows use columns added so recently that insertAll does not know them yet.
    private async Task<(int Inserted, int Adopted, int DeadLettered)> StreamOrLoadAsync(string clusterId, List<PartitionBatch> parts, bool advance, HashSet<KafkaPosition> rejected, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        var outside = parts.Where(p => p.Rows.Any(r => !InStreamingWindow(r.Flight.Timestamp, today))).ToList();
        foreach (var part in outside)
        {
            _log.Warning(
                "BigQuery streaming: partition {0} of {1} holds event times outside the ten years insertAll accepts; loading its batch with a load job (mode = load suits such data better)",
                part.Partition,
                part.Topic);
        }

        var (inserted, _, deadLettered, deferred) = await StreamAsync(clusterId, [.. parts.Except(outside)], advance, rejected, cancellationToken);
        var loaded = await LoadAsync(clusterId, [.. outside, .. deferred], advance, cancellationToken);
        BigQueryMetrics.RowsLoadedInsteadOfStreamed.Add(outside.Sum(p => p.Rows.Count) + deferred.Sum(p => p.Rows.Count));
        return (inserted + loaded.Inserted, loaded.Adopted, deadLettered + loaded.DeadLettered);
    }

    /// <summary>
    /// Whether insertAll takes a row of this partitioning date: 3,650 days back to 365 ahead of today (UTC); a day's
    /// margin on either side, as BigQuery's today may not be ours.
    /// </summary>
    private static bool InStreamingWindow(DateTime timestamp, DateOnly today)
    {
        var date = DateOnly.FromDateTime(timestamp.Kind == DateTimeKind.Local ? timestamp.ToUniversalTime() : timestamp);
        return date >= today.AddDays(-3649) && date <= today.AddDays(364);
    }

    /// <summary>insertAll's row error for a column of ours that it does not know yet: added moments ago, not a bad row.</summary>
    private static bool IsSchemaLag(string reason) =>
        reason.Split("; ").All(error =>
            error.StartsWith(NoSuchField, StringComparison.Ordinal)
            && BigQueryRows.FlightsRawFields.Any(f => string.Equals(f.Name, error[NoSuchField.Length..].TrimEnd('.'), StringComparison.OrdinalIgnoreCase)));

    private const string NoSuchField = "invalid: no such field: ";

    // Streaming mode. Per partition, every row but the one with the highest offset goes first, with no next offset;
    // the last row goes alone afterwards and carries it. insertAll is not atomic (rows of one request can land while
    // others fail), so this is what keeps the offsets behind every row they cover: a crash at any point replays
    // from before the rows that are missing, and the replayed rows that did land are hidden by the view.
    // Rows refused for columns insertAll does not know yet are deferred, with what of their partition is still to
    // come (its last records, which carry the next offset), to a load job.
    private async Task<(int Inserted, int Adopted, int DeadLettered, List<PartitionBatch> Deferred)> StreamAsync(
        string clusterId, List<PartitionBatch> parts, bool advance, HashSet<KafkaPosition> rejected, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var inserted = 0;
        var deadLettered = 0;
        var deferred = new Dictionary<(string Topic, int Partition), (List<LoadRow> Rows, List<DeadLetter> Letters)>();
        foreach (var last in new[] { false, true })
        {
            var letters = new List<StreamedRow>();
            var flights = new List<(StreamedRow Row, LoadRow Source, long? Next)>();
            var offsets = new List<StreamedRow>();
            foreach (var part in parts)
            {
                if (last && deferred.TryGetValue((part.Topic, part.Partition), out var later))
                {
                    var end = Math.Max(part.Rows.LastOrDefault()?.Position.Offset ?? -1, part.DeadLetters.LastOrDefault()?.Position.Offset ?? -1);
                    later.Rows.AddRange(part.Rows.Where(r => r.Position.Offset == end));
                    later.Letters.AddRange(part.DeadLetters.Where(d => d.Position.Offset == end));
                    continue;
                }

                var lastOffset = Math.Max(part.Rows.LastOrDefault()?.Position.Offset ?? -1, part.DeadLetters.LastOrDefault()?.Position.Offset ?? -1);
                long? next = last && advance ? part.NextOffset : null;
                letters.AddRange(part.DeadLetters
                    .Where(d => d.Position.Offset == lastOffset == last)
                    .Select(d => StreamedDeadLetter(d, clusterId, next, now)));
                flights.AddRange(part.Rows
                    .Where(r => r.Position.Offset == lastOffset == last)
                    .Select(r => (new StreamedRow(InsertId(clusterId, r.Position), BigQueryRows.Flight(r, clusterId, next, now)), r, next)));
                if (last && lastOffset < 0 && next is { } offsetOnly)
                {
                    offsets.Add(new StreamedRow(
                        $"offsets-{clusterId}-{part.Topic}-{part.Partition}-{offsetOnly}",
                        BigQueryRows.Offset(clusterId, part.Topic, part.Partition, offsetOnly, now)));
                }
            }

            await InsertDeadLettersAsync(letters, cancellationToken);
            deadLettered += letters.Count;
            // Processed rows before their raw rows, which carry the offsets; those insertAll refuses are left to their
            // raw rows' fate: flights_dedup shows a processed row only where its raw row is.
            await _streamer.InsertAsync(
                WarehouseTables.Flights,
                [.. flights.Where(f => f.Source.Processed is not null).Select(f => new StreamedRow(InsertId(clusterId, f.Source.Position), BigQueryRows.Processed(f.Source, clusterId)))],
                cancellationToken);
            var invalid = await _streamer.InsertAsync(WarehouseTables.FlightsRaw, flights.Select(f => f.Row).ToList(), cancellationToken);
            inserted += flights.Count - invalid.Count;
            foreach (var (index, _) in invalid.Where(i => IsSchemaLag(i.Reason)))
            {
                var position = flights[index].Source.Position;
                if (!deferred.TryGetValue((position.Topic, position.Partition), out var later))
                {
                    later = ([], []);
                    deferred[(position.Topic, position.Partition)] = later;
                }

                later.Rows.Add(flights[index].Source);
            }

            if (invalid.Any(i => IsSchemaLag(i.Reason)))
            {
                _log.Warning("BigQuery streaming: insertAll does not know columns added moments ago yet; loading the rows that use them with a load job");
            }

            // Rows BigQuery calls invalid are dead letters now, with BigQuery's reason, and keep their next offset.
            var refusedRows = invalid.Where(i => !IsSchemaLag(i.Reason)).Select(i => (Flight: flights[i.Index], i.Reason)).ToList();
            var rejectedLetters = refusedRows
                .Select(r => StreamedDeadLetter(
                    new DeadLetter(Encoding.UTF8.GetBytes(r.Flight.Source.RawJson), $"BigQuery rejected the row: {r.Reason}", r.Flight.Source.Position),
                    clusterId,
                    r.Flight.Next,
                    now))
                .ToList();
            await InsertDeadLettersAsync(rejectedLetters, cancellationToken);
            deadLettered += rejectedLetters.Count;
            rejected.UnionWith(refusedRows.Select(r => r.Flight.Source.Position));
            await InsertOrFailAsync(WarehouseTables.Offsets, offsets, cancellationToken);
        }

        BigQueryMetrics.StreamedRows.Add(inserted);
        var toLoad = parts
            .Where(p => deferred.ContainsKey((p.Topic, p.Partition)))
            .Select(p => deferred[(p.Topic, p.Partition)] is var (rows, letters)
                ? p with { Rows = [.. rows.OrderBy(r => r.Position.Offset)], DeadLetters = [.. letters.OrderBy(d => d.Position.Offset)] }
                : p)
            .ToList();
        return (inserted, 0, deadLettered, toLoad);
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

        return new StreamedRow(InsertId(clusterId, letter.Position), BigQueryRows.DeadLetter(letter, clusterId, nextOffset, now));
    }

    /// <summary>Rows that must all land (offsets, the windows' rows): one BigQuery refuses fails the write.</summary>
    private async Task InsertOrFailAsync(string table, List<StreamedRow> rows, CancellationToken cancellationToken)
    {
        if ((await _streamer.InsertAsync(table, rows, cancellationToken)).FirstOrDefault() is { Reason: { } refused })
        {
            throw new BigQueryException("tabledata.insertAll", 200, "invalid", $"a row refused by {table}: {refused}");
        }
    }

    // Nowhere further to put a dead letter that BigQuery refuses: the write fails, loudly, and nothing is skipped.
    private async Task InsertDeadLettersAsync(List<StreamedRow> letters, CancellationToken cancellationToken)
    {
        var refused = await _streamer.InsertAsync(WarehouseTables.DeadLetters, letters, cancellationToken);
        if (refused.Count > 0)
        {
            throw new BigQueryException("tabledata.insertAll", 200, "invalid", $"{refused.Count} dead letters refused by the dlq table, the first: {refused[0].Reason}");
        }
    }

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
            new Table(
                Reference(WarehouseTables.Flights),
                new TableSchema([.. BigQueryRows.ProcessedFields]),
                new TimePartitioning("DAY", "event_time"),
                new Clustering(["airline", "origin"]),
                Description: "Transformed flights, written before their flights_raw rows; may hold a replayed event twice: query flights_dedup"),
            cancellationToken);
        await EnsureTableAsync(
            new Table(Reference(WarehouseTables.DeadLetters), new TableSchema([.. BigQueryRows.DeadLetterFields]), Description: "Records Aero could not load, with the reason"),
            cancellationToken);
        await EnsureTableAsync(
            new Table(
                Reference(WarehouseTables.Offsets),
                new TableSchema([.. BigQueryRows.OffsetFields]),
                Description: "Next offsets of partitions whose batch stored no row; the highest per key counts"),
            cancellationToken);

        await EnsureViewAsync(
            BigQueryRows.DedupeView, BigQueryRows.DedupeQuery(project, _settings.Dataset), "flights_raw with one row per event_id: the one from the lowest Kafka offset", cancellationToken);
        await EnsureViewAsync(
            BigQueryRows.ProcessedDedupeView,
            BigQueryRows.ProcessedDedupeQuery(project, _settings.Dataset),
            "flights with one row per event_id: the processed row of the flights_raw_dedup row",
            cancellationToken);
        // The jobs' runs, before the view over them: a BigQuery view's query must name tables that exist.
        await EnsureTableAsync(new Table(Reference(JobRunsTable.Name), new TableSchema([.. BigQueryRows.JobRunFields]), Description: "The jobs' runs, one row per run id (job@due)"), cancellationToken);
        await EnsureTableAsync(new Table(Reference(FlowFilesTable.Name), new TableSchema([.. BigQueryRows.FlowFileFields]), Description: "The files each flow extracted, one row per flow and SHA-256 of the content"), cancellationToken);
        await EnsureWindowTablesAsync(cancellationToken);
        foreach (var view in Views)
        {
            await EnsureViewAsync(view, cancellationToken);
        }
    }

    /// <summary>Creates <paramref name="view"/> in the dataset unless a table or view of its name is there; the tables its query names must exist.</summary>
    public Task EnsureViewAsync(WarehouseView view, CancellationToken cancellationToken) =>
        EnsureViewAsync(view.Name, view.QueryIn(ViewDialect.BigQuery(_settings.ProjectId, _settings.Dataset, BigQueryRows.ProcessedDedupeView)), view.Description, cancellationToken);

    private async Task EnsureViewAsync(string view, string query, string description, CancellationToken cancellationToken)
    {
        if (await _client.GetTableAsync(Reference(view), cancellationToken) is null)
        {
            await CreateIfAbsentAsync(() => _client.InsertTableAsync(
                new Table(Reference(view), View: new ViewDefinition(query, UseLegacySql: false), Description: description),
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

    private async Task<QueryResult> RunQueryAsync(string sql, List<QueryParameter> parameters, CancellationToken cancellationToken, string? requestId = null)
    {
        var (schema, rows, _) = await _client.QueryAsync(_settings.ProjectId, Request(sql, parameters, requestId), cancellationToken);
        var fields = schema?.Fields ?? [];
        var columns = fields.Select(f => new QueryColumn(f.Name, f.Type)).ToList();
        var values = rows.Select(row => fields.Select((field, i) => Value(field, row.F is { } cells && i < cells.Count ? cells[i].V : default)).ToArray()).ToList();
        return new QueryResult(columns, values);
    }

    private QueryRequest Request(string sql, List<QueryParameter> parameters, string? requestId = null) =>
        new(
            sql,
            UseLegacySql: false,
            _settings.Location,
            TimeoutMs: 10_000,
            parameters.Count > 0 ? "NAMED" : null,
            parameters.Count > 0 ? parameters : null,
            new DatasetReference(_settings.ProjectId, _settings.Dataset),
            RequestId: requestId);

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

    private static QueryParameter Parameter(string name, string type, string value) => new(name, new QueryParameterType(type), new QueryParameterValue(value));

    private string Qualified(string table) =>
        table.Contains('`', StringComparison.Ordinal)
            ? throw new ArgumentException($"not a table name: {table}", nameof(table))
            : $"`{_settings.ProjectId}.{_settings.Dataset}.{table}`";

    private TableReference Reference(string table) => new(_settings.ProjectId, _settings.Dataset, table);

    /// <summary>
    /// cluster-topic-partition-offset, the record's identity, as in the load job ids: another cluster's record at the
    /// same offset is another record. Beyond 128 characters (insertId's limit), cluster and topic become a hash.
    /// </summary>
    private static string InsertId(string clusterId, KafkaPosition position)
    {
        var id = $"{clusterId}-{position.Topic}-{position.Partition}-{position.Offset}";
        return id.Length <= 128
            ? id
            : $"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes($"{clusterId}\n{position.Topic}")))[..32]}-{position.Partition}-{position.Offset}";
    }

    private static (long First, long Last) Range(IEnumerable<long> offsets)
    {
        var list = offsets.ToList();
        return (list.Min(), list.Max());
    }

    /// <summary>
    /// The batch per topic partition: rows to write, dead letters, the next offset (partitions with only that too), the
    /// rows an earlier attempt stored from their own positions, and the offset the partition's records start at (none
    /// without records).
    /// </summary>
    private static List<PartitionBatch> Partitions(LoadBatch batch, List<LoadRow> rows, List<LoadRow> storedBefore)
    {
        var keys = rows.Select(r => (r.Position.Topic, r.Position.Partition))
            .Concat(batch.DeadLetters.Select(d => (d.Position.Topic, d.Position.Partition)))
            .Concat(batch.NextOffsets.Keys)
            .Concat(batch.Rows.Select(r => (r.Position.Topic, r.Position.Partition)))
            .Distinct()
            .Order();
        return keys.Select(key =>
        {
            var (topic, partition) = key;
            bool Here(KafkaPosition position) => position.Partition == partition && position.Topic == topic;
            var own = rows.Where(r => Here(r.Position)).OrderBy(r => r.Position.Offset).ToList();
            var letters = batch.DeadLetters.Where(d => Here(d.Position)).OrderBy(d => d.Position.Offset).ToList();
            var offsets = batch.Rows.Where(r => Here(r.Position)).Select(r => r.Position.Offset).Concat(letters.Select(d => d.Position.Offset)).ToList();
            var highest = offsets.DefaultIfEmpty(-1).Max();
            // A partition the batch states no next offset for does not advance (rows written ahead of their batch).
            long? next = batch.NextOffsets.TryGetValue(key, out var stated) ? Math.Max(stated, highest + 1) : null;
            return new PartitionBatch(topic, partition, own, letters, next, [.. storedBefore.Where(r => Here(r.Position))], offsets.Count == 0 ? null : offsets.Min());
        }).ToList();
    }

    private sealed record PartitionBatch(
        string Topic, int Partition, List<LoadRow> Rows, List<DeadLetter> DeadLetters, long? NextOffset, List<LoadRow> StoredBefore, long? FirstOffset);
}
