using System.Globalization;
using System.Text.Json;
using Aero.Kafka.Messages;
using Aero.Warehouse.Windows;

namespace Aero.Warehouse.BigQuery;

/// <summary>
/// The BigQuery tables (<c>flights_raw</c>, <c>dlq</c>, the view <c>flights_raw_dedup</c>) and their rows as JSON objects,
/// the same bytes for an insertAll row and an NDJSON line of a load job.
/// </summary>
internal static class BigQueryRows
{
    public const string DedupeView = "flights_raw_dedup";

    /// <summary>With windows, each batch's row per partition: its next offset and highest event time (<see cref="WindowBatchFields"/>).</summary>
    public const string WindowBatches = "_aero_window_batches";

    /// <summary>The batches' partials of windows counted already (<see cref="WindowMergedFields"/>).</summary>
    public const string WindowsMerged = "_aero_windows_merged";

    /// <summary>flights with one row per event id, that of the row flights_raw_dedup keeps.</summary>
    public const string ProcessedDedupeView = "flights_dedup";

    private const string NextOffsetDescription =
        "Set only on the rows written last for their batch and partition: the offset the partition resumes from once they are visible";

    /// <summary>
    /// The shared columns (<see cref="FlightColumns"/>, so a new field of the record reaches BigQuery too), then the two
    /// BigQuery keeps offsets with: the cluster id and the next offset.
    /// </summary>
    public static readonly IReadOnlyList<TableFieldSchema> FlightsRawFields =
    [
        .. FlightColumns.All.Select(c => new TableFieldSchema(c.Name, TypeOf(c.Type), c.Nullable ? "NULLABLE" : "REQUIRED")),
        new("kafka_cluster_id", "STRING", "REQUIRED"),
        new("kafka_next_offset", "INTEGER", "NULLABLE", NextOffsetDescription),
    ];

    /// <summary>The processed flights' columns (<see cref="ProcessedColumns"/>), then the cluster id.</summary>
    public static readonly IReadOnlyList<TableFieldSchema> ProcessedFields =
    [
        .. ProcessedColumns.All.Select(c => new TableFieldSchema(c.Name, TypeOf(c.Type), c.Nullable ? "NULLABLE" : "REQUIRED")),
        new("kafka_cluster_id", "STRING", "REQUIRED"),
    ];

    // cluster_id, as in every backend's dlq, so the same queries work on each.
    public static readonly IReadOnlyList<TableFieldSchema> DeadLetterFields =
    [
        .. KafkaFields,
        new("reason", "STRING", "REQUIRED"),
        new("payload", "BYTES", "NULLABLE", "The record's original bytes"),
        new("dead_lettered_at", "TIMESTAMP", "REQUIRED"),
    ];

    /// <summary>
    /// Next offsets of partitions whose batch wrote no row and no dead letter (every event already stored, or nothing
    /// but offsets): append-only, the highest per key counts.
    /// </summary>
    public static readonly IReadOnlyList<TableFieldSchema> OffsetFields =
    [
        new("cluster_id", "STRING", "REQUIRED"),
        new("topic", "STRING", "REQUIRED"),
        new("kafka_partition", "INTEGER", "REQUIRED"),
        new("next_offset", "INTEGER", "REQUIRED"),
        new("updated_at", "TIMESTAMP", "REQUIRED"),
    ];

    /// <summary>The jobs' runs (<see cref="JobRunsTable"/>) in BigQuery: no unique key there, the run store's MERGE keeps run_id unique.</summary>
    public static readonly IReadOnlyList<TableFieldSchema> JobRunFields =
    [
        new("run_id", "STRING", "REQUIRED"),
        new("job", "STRING", "REQUIRED"),
        new("period", "STRING", "REQUIRED"),
        new("due", "STRING", "REQUIRED"),
        new("engine", "STRING", "REQUIRED"),
        new("state", "STRING", "REQUIRED"),
        new("attempt", "INTEGER", "REQUIRED"),
        new("owner", "STRING", "NULLABLE"),
        new("lease_until", "STRING", "NULLABLE"),
        new("next_attempt_at", "STRING", "NULLABLE"),
        new("started_at", "STRING", "NULLABLE"),
        new("ended_at", "STRING", "NULLABLE"),
        new("rows_written", "INTEGER", "NULLABLE"),
        new("error", "STRING", "NULLABLE"),
    ];

    /// <summary>The flows' file ledger (<see cref="FlowFilesTable"/>) in BigQuery: the flow store's MERGE keeps (flow, sha256) unique.</summary>
    public static readonly IReadOnlyList<TableFieldSchema> FlowFileFields =
    [
        new("flow", "STRING", "REQUIRED"),
        new("sha256", "STRING", "REQUIRED"),
        new("file", "STRING", "REQUIRED"),
        new("bytes", "INTEGER", "REQUIRED"),
        new("records_read", "INTEGER", "REQUIRED"),
        new("records_produced", "INTEGER", "REQUIRED"),
        new("records_dead_lettered", "INTEGER", "REQUIRED"),
        new("run_id", "STRING", "REQUIRED"),
        new("extracted_at", "STRING", "REQUIRED"),
    ];

    /// <summary>
    /// The windows' partials (<see cref="WindowTables.PartialColumns"/>), each with the batch it belongs to: the first
    /// offset of that batch's records and the next offset its batch row (<see cref="WindowBatchFields"/>) stores.
    /// </summary>
    public static readonly IReadOnlyList<TableFieldSchema> WindowPartialFields =
    [
        .. WindowTables.PartialColumns.Select(c => new TableFieldSchema(c.Name, TypeOf(c.Type), c.Nullable ? "NULLABLE" : "REQUIRED")),
        new("batch_first_offset", "INTEGER", "REQUIRED"),
        new("batch_next_offset", "INTEGER", "REQUIRED"),
    ];

    /// <summary>
    /// One row per batch and partition, written after everything else of it: with windows, the only place a
    /// partition's next offset is stored, so its partials count exactly when it advanced; also its highest event time.
    /// A row without offsets registers a partition just assigned.
    /// </summary>
    public static readonly IReadOnlyList<TableFieldSchema> WindowBatchFields =
    [
        new("cluster_id", "STRING", "REQUIRED"),
        new("topic", "STRING", "REQUIRED"),
        new("kafka_partition", "INTEGER", "REQUIRED"),
        new("first_offset", "INTEGER", "NULLABLE"),
        new("next_offset", "INTEGER", "NULLABLE"),
        new("max_event_time", "TIMESTAMP", "NULLABLE"),
        new("written_at", "TIMESTAMP", "REQUIRED"),
    ];

    /// <summary>One row per final window, as in every backend; a window is final once, as the finalizing MERGE decides.</summary>
    public static readonly IReadOnlyList<TableFieldSchema> WindowFinalFields =
    [
        new("window_id", "STRING", "REQUIRED"),
        new("window_start", "TIMESTAMP", "REQUIRED"),
        new("window_end", "TIMESTAMP", "REQUIRED"),
        new("watermark", "TIMESTAMP", "REQUIRED"),
        new("finalized_at", "TIMESTAMP", "REQUIRED"),
        new("closed_by", "STRING", "REQUIRED"),
        new("finalizing", "STRING", "REQUIRED"),
    ];

    public static readonly IReadOnlyList<TableFieldSchema> WindowStatsFields =
    [
        .. Fields(WindowTables.Window),
        .. Fields(WindowTables.Counts),
        new("avg_departure_delay_minutes", "FLOAT", "NULLABLE"),
        new("avg_arrival_delay_minutes", "FLOAT", "NULLABLE"),
        new("on_time_share", "FLOAT", "NULLABLE"),
        new("finalized_at", "TIMESTAMP", "REQUIRED"),
    ];

    public static readonly IReadOnlyList<TableFieldSchema> WindowLateFields =
    [
        .. Fields(WindowTables.Window),
        .. Fields(WindowTables.Source),
        new("flights", "INTEGER", "REQUIRED"),
        new("late_by_ms", "INTEGER", "REQUIRED"),
        new("recorded_at", "TIMESTAMP", "REQUIRED"),
    ];

    /// <summary>Which batch's partials of which window are counted (in the stats or as late): each is counted once.</summary>
    public static readonly IReadOnlyList<TableFieldSchema> WindowMergedFields =
    [
        new("window_id", "STRING", "REQUIRED"),
        new("cluster_id", "STRING", "REQUIRED"),
        new("topic", "STRING", "REQUIRED"),
        new("kafka_partition", "INTEGER", "REQUIRED"),
        new("batch_first_offset", "INTEGER", "REQUIRED"),
        new("batch_next_offset", "INTEGER", "REQUIRED"),
        new("merged_at", "TIMESTAMP", "REQUIRED"),
    ];

    public const string DeadLetterClusterColumn = "cluster_id";

    private static IReadOnlyList<TableFieldSchema> KafkaFields =>
    [
        new(DeadLetterClusterColumn, "STRING", "REQUIRED"),
        new("kafka_topic", "STRING", "REQUIRED"),
        new("kafka_partition", "INTEGER", "REQUIRED"),
        new("kafka_offset", "INTEGER", "REQUIRED"),
        new("kafka_timestamp", "TIMESTAMP"),
        new("kafka_next_offset", "INTEGER", "NULLABLE", NextOffsetDescription),
    ];

    public static string DedupeQuery(string project, string dataset) => $"""
        SELECT * EXCEPT (dedupe_rank) FROM (
          SELECT *, ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY {DuplicateRule.SqlOrder}) AS dedupe_rank
          FROM `{project}.{dataset}.{WarehouseTables.FlightsRaw}`)
        WHERE dedupe_rank = 1
        """;

    /// <summary>
    /// A processed flight where its raw row is: the same cluster, topic, partition and offset, so that only the processed
    /// row of the event's kept raw row shows (a load or insert of processed rows whose raw rows then failed shows none).
    /// </summary>
    public static string ProcessedDedupeQuery(string project, string dataset) => $"""
        SELECT p.* FROM `{project}.{dataset}.{WarehouseTables.Flights}` AS p
        JOIN `{project}.{dataset}.{DedupeView}` AS r
          ON p.event_id = r.event_id AND p.kafka_cluster_id = r.kafka_cluster_id AND p.kafka_topic = r.kafka_topic
          AND p.kafka_partition = r.kafka_partition AND p.kafka_offset = r.kafka_offset
        QUALIFY ROW_NUMBER() OVER (PARTITION BY p.event_id ORDER BY p.processed_at) = 1
        """;

    public static byte[] Flight(LoadRow row, string clusterId, long? nextOffset, DateTime ingestedAt) => Write(writer =>
    {
        WriteColumns(writer, FlightColumns.All, row, ingestedAt);
        writer.WriteString("kafka_cluster_id", clusterId);
        WriteInteger(writer, "kafka_next_offset", nextOffset);
    });

    /// <summary>A row's processed flight, as a row of flights.</summary>
    public static byte[] Processed(LoadRow row, string clusterId) => Write(writer =>
    {
        WriteColumns(writer, ProcessedColumns.All, row, default);
        writer.WriteString("kafka_cluster_id", clusterId);
    });

    private static void WriteColumns(Utf8JsonWriter writer, IReadOnlyList<FlightColumn> columns, LoadRow row, DateTime ingestedAt)
    {
        foreach (var column in columns)
        {
            var value = column.Value(row, ingestedAt);
            switch (value)
            {
                case null:
                    break;
                case DateTime time:
                    WriteTimestamp(writer, column.Name, time);
                    break;
                case double number:
                    WriteNumber(writer, column.Name, number);
                    break;
                case bool flag:
                    writer.WriteBoolean(column.Name, flag);
                    break;
                case int or long:
                    // INTEGER values go as strings, as BigQuery writes int64 itself: no precision lost in any JSON reader.
                    writer.WriteString(column.Name, Convert.ToString(value, CultureInfo.InvariantCulture));
                    break;
                case DateOnly date:
                    writer.WriteString(column.Name, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                    break;
                default:
                    writer.WriteString(column.Name, value.ToString());
                    break;
            }
        }
    }

    public static byte[] DeadLetter(DeadLetter letter, string clusterId, long? nextOffset, DateTime deadLetteredAt) => Write(writer =>
    {
        WriteKafka(writer, clusterId, letter.Position, nextOffset);
        writer.WriteString("reason", letter.Reason);
        writer.WriteBase64String("payload", letter.Payload);
        WriteTimestamp(writer, "dead_lettered_at", deadLetteredAt);
    });

    /// <summary>Rows as newline-delimited JSON, the body of a load job.</summary>
    public static byte[] Ndjson(IReadOnlyList<byte[]> rows)
    {
        var body = new byte[rows.Sum(r => r.Length + 1)];
        var at = 0;
        foreach (var row in rows)
        {
            row.CopyTo(body, at);
            at += row.Length;
            body[at++] = (byte)'\n';
        }

        return body;
    }

    public static byte[] Offset(string clusterId, string topic, int partition, long nextOffset, DateTime updatedAt) => Write(writer =>
    {
        writer.WriteString("cluster_id", clusterId);
        writer.WriteString("topic", topic);
        WriteInteger(writer, "kafka_partition", partition);
        WriteInteger(writer, "next_offset", nextOffset);
        WriteTimestamp(writer, "updated_at", updatedAt);
    });

    public static byte[] WindowPartial(WindowPartial partial, string clusterId, long batchFirstOffset, long batchNextOffset, DateTime writtenAt) => Write(writer =>
    {
        foreach (var column in WindowTables.PartialColumns)
        {
            switch (column.Value(clusterId, partial, writtenAt))
            {
                case null:
                    break;
                case DateTime time:
                    WriteTimestamp(writer, column.Name, time);
                    break;
                case string text:
                    writer.WriteString(column.Name, text);
                    break;
                case var number:
                    WriteInteger(writer, column.Name, Convert.ToInt64(number, CultureInfo.InvariantCulture));
                    break;
            }
        }

        WriteInteger(writer, "batch_first_offset", batchFirstOffset);
        WriteInteger(writer, "batch_next_offset", batchNextOffset);
    });

    public static byte[] WindowBatch(string clusterId, string topic, int partition, long? firstOffset, long? nextOffset, DateTime? maxEventTime, DateTime writtenAt) => Write(writer =>
    {
        writer.WriteString("cluster_id", clusterId);
        writer.WriteString("topic", topic);
        WriteInteger(writer, "kafka_partition", partition);
        WriteInteger(writer, "first_offset", firstOffset);
        WriteInteger(writer, "next_offset", nextOffset);
        WriteTimestamp(writer, "max_event_time", maxEventTime);
        WriteTimestamp(writer, "written_at", writtenAt);
    });

    private static IEnumerable<TableFieldSchema> Fields(IEnumerable<(string Name, FlightColumnType Type, bool Nullable)> columns) =>
        columns.Select(c => new TableFieldSchema(c.Name, TypeOf(c.Type), c.Nullable ? "NULLABLE" : "REQUIRED"));

    private static void WriteKafka(Utf8JsonWriter writer, string clusterId, KafkaPosition position, long? nextOffset)
    {
        writer.WriteString(DeadLetterClusterColumn, clusterId);
        writer.WriteString("kafka_topic", position.Topic);
        // INTEGER values go as strings, as BigQuery writes int64 itself: no precision lost in any JSON reader.
        writer.WriteString("kafka_partition", position.Partition.ToString(CultureInfo.InvariantCulture));
        writer.WriteString("kafka_offset", position.Offset.ToString(CultureInfo.InvariantCulture));
        WriteTimestamp(writer, "kafka_timestamp", position.Timestamp);
        WriteInteger(writer, "kafka_next_offset", nextOffset);
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new MemoryStream(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, double? value)
    {
        // JSON has no NaN or infinity; a missing value is NULL.
        if (value is { } number && double.IsFinite(number))
        {
            writer.WriteNumber(name, number);
        }
    }

    private static void WriteInteger(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } number)
        {
            writer.WriteString(name, number.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static string TypeOf(FlightColumnType type) => type switch
    {
        FlightColumnType.Int4 or FlightColumnType.BigInt => "INTEGER",
        FlightColumnType.Float8 => "FLOAT",
        FlightColumnType.Timestamp => "TIMESTAMP",
        FlightColumnType.Date => "DATE",
        FlightColumnType.Boolean => "BOOLEAN",
        // Json too: the raw record as text, which every BigQuery client can read back.
        _ => "STRING",
    };

    /// <summary>A TIMESTAMP value as BigQuery reads it in JSON rows and query parameters (UTC).</summary>
    public static string Timestamp(DateTime time) =>
        (time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : time).ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    private static void WriteTimestamp(Utf8JsonWriter writer, string name, DateTime? value)
    {
        if (value is { } time)
        {
            writer.WriteString(name, Timestamp(time));
        }
    }
}
