using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Aero.Kafka.Messages;
using Aero.Warehouse.Windows;

namespace Aero.Warehouse.BigQuery;

/// <summary>
/// The windows' side of the BigQuery warehouse. BigQuery has no transaction that spans a batch's rows and its partials,
/// so a batch's partials count by what was stored last: per partition, every row, dead letter and partial of a batch
/// goes first, and then one row in <c>_aero_window_batches</c> with the partition's next offset and highest event time
/// (with windows, the only place a next offset is stored). A partial counts only when its batch row is there; a batch
/// cut short leaves no batch row, is replayed from the same offset, and its replay counts the rows the first attempt
/// stored from the same positions again, so every stored row is in exactly one counted batch. Copies of one batch's
/// partials (insertAll retried) count once, and of two batches from the same offset (writers racing in a rebalance)
/// the longer one counts. Partials are never deleted (BigQuery keeps streamed rows from DML for a while):
/// <c>_aero_windows_merged</c> records which batch's partials of which window are counted, in the stats or as late.
/// </summary>
public sealed partial class BigQueryWarehouse : IWindowStore
{
    public async Task RegisterPartitionsAsync(string clusterId, string topic, IReadOnlyCollection<int> partitions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        var now = _time.GetUtcNow().UtcDateTime;
        var rows = partitions.Order()
            .Select(p => new StreamedRow(
                WindowInsertId($"register-{clusterId}-{topic}-{p}-{now.Ticks}"),
                BigQueryRows.WindowBatch(clusterId, topic, p, firstOffset: null, nextOffset: null, maxEventTime: null, now)))
            .ToList();
        await InsertOrFailAsync(BigQueryRows.WindowBatches, rows, cancellationToken);
    }

    public async Task<WindowsOverview> OverviewAsync(int lastFinalized, CancellationToken cancellationToken = default)
    {
        var final = Qualified(WindowTables.Final);
        var open = await RunQueryAsync(
            $"""
            SELECT window_id, MIN(window_start), MIN(window_end) FROM ({CountablePartials()}) v
            WHERE window_id NOT IN (SELECT window_id FROM {final})
            GROUP BY window_id ORDER BY 3, 1
            """,
            [],
            cancellationToken);
        var partitions = await RunQueryAsync(
            $"""
            SELECT cluster_id, topic, kafka_partition, MAX(max_event_time), MAX(written_at), MAX(next_offset)
            FROM {Qualified(BigQueryRows.WindowBatches)}
            GROUP BY cluster_id, topic, kafka_partition ORDER BY cluster_id, topic, kafka_partition
            """,
            [],
            cancellationToken);
        var last = lastFinalized <= 0 ? [] : await FinalizedAsync("TRUE", [], $"LIMIT {lastFinalized.ToString(CultureInfo.InvariantCulture)}", cancellationToken);
        var late = await LateRecordsAsync("TRUE", [], cancellationToken);
        var pending = await RunQueryAsync(
            $"SELECT COUNT(*) FROM ({CountablePartials()}) v WHERE window_id IN (SELECT window_id FROM {final})", [], cancellationToken);
        return new WindowsOverview(
            [.. open.Rows.Select(r => new WindowRange((string)r[0]!, (DateTime)r[1]!, (DateTime)r[2]!))],
            [.. partitions.Rows.Select(r => new PartitionEventTime((string)r[0]!, (string)r[1]!, Convert.ToInt32(r[2], CultureInfo.InvariantCulture), (DateTime?)r[3], (DateTime)r[4]!, (long?)r[5]))],
            last,
            late,
            (long)pending.Rows.Single()[0]!);
    }

    /// <summary>
    /// One multi-statement transaction (BigQuery aborts one of two that change the same tables at once, so two
    /// coordinators never both finalize a window), run under a request id so a retried call does not run it twice.
    /// </summary>
    public async Task<WindowFinalizing> FinalizeAsync(IReadOnlyList<WindowRange> windows, DateTime watermark, string closedBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(windows);
        var finalizing = Guid.NewGuid().ToString("N");
        var now = _time.GetUtcNow().UtcDateTime;
        var final = Qualified(WindowTables.Final);
        var script = $"""
            BEGIN TRANSACTION;
            INSERT INTO {final} (window_id, window_start, window_end, watermark, finalized_at, closed_by, finalizing)
            SELECT window_id, MIN(window_start), MIN(window_end), @watermark, @now, @closed_by, @finalizing FROM ({CountablePartials()}) v
            WHERE window_id IN (SELECT * FROM UNNEST(@windows)) AND window_id NOT IN (SELECT window_id FROM {final})
            GROUP BY window_id;
            INSERT INTO {Qualified(WindowTables.Stats)}
            {WindowTables.MergedSelect($"({CountablePartials()}) v WHERE window_id IN (SELECT window_id FROM {final} WHERE finalizing = @finalizing)", "@now", "FLOAT64")};
            INSERT INTO {Qualified(WindowTables.Late)}
            SELECT v.window_id, v.window_start, v.window_end, v.dimension, v.window_key, v.cluster_id, v.topic, v.kafka_partition,
              v.first_offset, v.last_offset, v.flights, TIMESTAMP_DIFF(f.watermark, v.min_event_time, MILLISECOND), @now
            FROM ({CountablePartials()}) v JOIN {final} f ON v.window_id = f.window_id
            WHERE f.finalizing <> @finalizing;
            INSERT INTO {Qualified(BigQueryRows.WindowsMerged)} (window_id, cluster_id, topic, kafka_partition, batch_first_offset, batch_next_offset, merged_at)
            SELECT DISTINCT window_id, cluster_id, topic, kafka_partition, batch_first_offset, batch_next_offset, @now FROM ({CountablePartials()}) v
            WHERE window_id IN (SELECT window_id FROM {final});
            COMMIT TRANSACTION
            """;
        List<QueryParameter> parameters =
        [
            Parameter("watermark", "TIMESTAMP", BigQueryRows.Timestamp(watermark)),
            Parameter("now", "TIMESTAMP", BigQueryRows.Timestamp(now)),
            Parameter("closed_by", "STRING", closedBy),
            Parameter("finalizing", "STRING", finalizing),
            new QueryParameter(
                "windows",
                new QueryParameterType("ARRAY", new QueryParameterType("STRING")),
                new QueryParameterValue(null, [.. windows.Select(w => new QueryParameterValue(w.WindowId))])),
        ];
        await RunQueryAsync(script, parameters, cancellationToken, requestId: finalizing);
        var finalized = await FinalizedAsync("f.finalizing = @finalizing", [Parameter("finalizing", "STRING", finalizing)], "", cancellationToken);
        var late = await LateRecordsAsync("recorded_at = @now", [Parameter("now", "TIMESTAMP", BigQueryRows.Timestamp(now))], cancellationToken);
        return new WindowFinalizing(finalized, late);
    }

    /// <summary>
    /// After every row, dead letter and load job of the batch: per partition that advances, its partials (of the rows
    /// it stored now, minus those BigQuery refused, and of those an earlier attempt stored from the same positions),
    /// then its batch row, which makes them count and stores the next offset.
    /// </summary>
    private async Task WriteWindowsAsync(LoadBatch batch, List<PartitionBatch> parts, HashSet<KafkaPosition> rejected, CancellationToken cancellationToken)
    {
        if (batch.Windows is null)
        {
            return;
        }

        var now = _time.GetUtcNow().UtcDateTime;
        var maxEventTimes = WindowBatch.MaxEventTimes(batch);
        var partials = new List<StreamedRow>();
        var batchRows = new List<StreamedRow>();
        foreach (var part in parts)
        {
            if (part.NextOffset is not { } next)
            {
                if (part.Rows.Count > 0)
                {
                    throw new InvalidOperationException($"rows of {part.Topic}[{part.Partition}] without a next offset: their windows would never count them");
                }

                continue;
            }

            var first = part.FirstOffset ?? next;
            var stored = part.Rows.Where(r => !rejected.Contains(r.Position)).Concat(part.StoredBefore);
            var batchId = $"{batch.ClusterId}-{part.Topic}-{part.Partition}-{first}-{next}";
            partials.AddRange(WindowBatch.Partials(batch, stored).Select(p => new StreamedRow(
                WindowInsertId($"partial-{batchId}-{p.WindowId}-{p.Dimension}-{p.Key}"),
                BigQueryRows.WindowPartial(p, batch.ClusterId, first, next, now))));
            batchRows.Add(new StreamedRow(
                WindowInsertId($"batch-{batchId}"),
                BigQueryRows.WindowBatch(batch.ClusterId, part.Topic, part.Partition, first, next, maxEventTimes.TryGetValue((part.Topic, part.Partition), out var max) ? max : null, now)));
        }

        // Streamed in either write mode: small rows, none of which DML ever changes.
        await InsertOrFailAsync(WindowTables.Partials, partials, cancellationToken);
        await InsertOrFailAsync(BigQueryRows.WindowBatches, batchRows, cancellationToken);
    }

    /// <summary>
    /// The partials that count and are not counted yet: of a batch whose batch row is stored (of two from one offset,
    /// the one that reached further), one copy each, and not in <c>_aero_windows_merged</c>.
    /// </summary>
    private string CountablePartials() => $"""
        SELECT p.* FROM {Qualified(WindowTables.Partials)} p
        JOIN (
          SELECT cluster_id, topic, kafka_partition, first_offset, next_offset FROM {Qualified(BigQueryRows.WindowBatches)}
          WHERE next_offset IS NOT NULL
          QUALIFY ROW_NUMBER() OVER (PARTITION BY cluster_id, topic, kafka_partition, first_offset ORDER BY next_offset DESC) = 1
        ) b ON p.cluster_id = b.cluster_id AND p.topic = b.topic AND p.kafka_partition = b.kafka_partition
          AND p.batch_first_offset = b.first_offset AND p.batch_next_offset = b.next_offset
        WHERE NOT EXISTS (
          SELECT 1 FROM {Qualified(BigQueryRows.WindowsMerged)} m
          WHERE m.window_id = p.window_id AND m.cluster_id = p.cluster_id AND m.topic = p.topic AND m.kafka_partition = p.kafka_partition
            AND m.batch_first_offset = p.batch_first_offset AND m.batch_next_offset = p.batch_next_offset)
        QUALIFY ROW_NUMBER() OVER (
          PARTITION BY p.window_id, p.dimension, p.window_key, p.cluster_id, p.topic, p.kafka_partition, p.batch_first_offset, p.batch_next_offset
          ORDER BY p.written_at) = 1
        """;

    /// <summary>Final windows matching <paramref name="where"/> (alias f), with the records each counts under its largest dimension.</summary>
    private async Task<List<FinalizedWindow>> FinalizedAsync(string where, List<QueryParameter> parameters, string tail, CancellationToken cancellationToken)
    {
        var result = await RunQueryAsync(
            $"""
            SELECT f.window_id, f.window_start, f.window_end, f.watermark, f.finalized_at, f.closed_by, COALESCE(s.flights, 0)
            FROM {Qualified(WindowTables.Final)} f
            LEFT JOIN (
              SELECT window_id, MAX(total) AS flights FROM (
                SELECT window_id, dimension, SUM(flights) AS total FROM {Qualified(WindowTables.Stats)} GROUP BY window_id, dimension)
              GROUP BY window_id) s ON s.window_id = f.window_id
            WHERE {where}
            ORDER BY f.finalized_at DESC, f.window_end DESC {tail}
            """,
            parameters,
            cancellationToken);
        return [.. result.Rows.Select(r => new FinalizedWindow(
            new WindowRange((string)r[0]!, (DateTime)r[1]!, (DateTime)r[2]!), (DateTime)r[3]!, (DateTime)r[4]!, (string)r[5]!, (long)r[6]!))];
    }

    private async Task<long> LateRecordsAsync(string where, List<QueryParameter> parameters, CancellationToken cancellationToken)
    {
        var result = await RunQueryAsync(
            $"SELECT COALESCE(MAX(total), 0) FROM (SELECT SUM(flights) AS total FROM {Qualified(WindowTables.Late)} WHERE {where} GROUP BY dimension)",
            parameters,
            cancellationToken);
        return (long)result.Rows.Single()[0]!;
    }

    private async Task EnsureWindowTablesAsync(CancellationToken cancellationToken)
    {
        await EnsureTableAsync(new Table(Reference(WindowTables.Partials), new TableSchema([.. BigQueryRows.WindowPartialFields]), Description: "Each batch's partial aggregates per window, dimension, key and partition; they count once their batch's row in _aero_window_batches is stored"), cancellationToken);
        await EnsureTableAsync(new Table(Reference(BigQueryRows.WindowBatches), new TableSchema([.. BigQueryRows.WindowBatchFields]), Description: "With windows: per batch and partition, its next offset and highest event time, written last"), cancellationToken);
        await EnsureTableAsync(new Table(Reference(WindowTables.Final), new TableSchema([.. BigQueryRows.WindowFinalFields]), Description: "One row per final window"), cancellationToken);
        await EnsureTableAsync(new Table(Reference(WindowTables.Stats), new TableSchema([.. BigQueryRows.WindowStatsFields]), Description: "Finalized event-time windows per dimension and key"), cancellationToken);
        await EnsureTableAsync(new Table(Reference(WindowTables.Late), new TableSchema([.. BigQueryRows.WindowLateFields]), Description: "Partials that came after their window was final, with how late"), cancellationToken);
        await EnsureTableAsync(new Table(Reference(BigQueryRows.WindowsMerged), new TableSchema([.. BigQueryRows.WindowMergedFields]), Description: "Which batch's partials of which window are counted"), cancellationToken);
    }

    // insertAll's ids are at most 128 characters; a window's id, key and batch together can be longer.
    private static string WindowInsertId(string identity) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(identity)));
}
