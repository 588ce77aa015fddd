using System.Globalization;
using System.Text.Json;

namespace Aero.Streams.Warehouse.BigQuery;

/// <summary>
/// The BigQuery tables (<c>flights_raw</c>, <c>dlq</c>, the view <c>flights_raw_dedup</c>) and their rows as JSON objects,
/// the same bytes for an insertAll row and an NDJSON line of a load job.
/// </summary>
internal static class BigQueryRows
{
    public const string DedupeView = "flights_raw_dedup";

    // NULLABLE unless REQUIRED; new columns must be NULLABLE, since tables.patch can add nothing else.
    public static readonly IReadOnlyList<TableFieldSchema> FlightsRawFields =
    [
        new("event_id", "STRING", "REQUIRED", "Deterministic from the source and position; unique in flights_raw_dedup"),
        new("flight_id", "STRING", "REQUIRED"),
        new("timestamp", "TIMESTAMP", "REQUIRED", "Event time; the table is partitioned by its day"),
        new("airline", "STRING"),
        new("flight_number", "STRING"),
        new("origin", "STRING"),
        new("destination", "STRING"),
        new("scheduled_departure", "TIMESTAMP"),
        new("actual_departure", "TIMESTAMP"),
        new("scheduled_arrival", "TIMESTAMP"),
        new("actual_arrival", "TIMESTAMP"),
        new("status", "STRING"),
        new("aircraft_type", "STRING"),
        new("latitude", "FLOAT"),
        new("longitude", "FLOAT"),
        new("altitude", "FLOAT"),
        new("speed", "FLOAT"),
        new("distance", "FLOAT"),
        new("delay", "FLOAT"),
        new("source", "STRING", "REQUIRED"),
        new("source_position", "INTEGER"),
        new("raw", "STRING", "REQUIRED", "The record as it was on Kafka (JSON text)"),
        .. KafkaFields("kafka_cluster_id"),
        new("ingested_at", "TIMESTAMP", "REQUIRED"),
    ];

    // cluster_id, as in every backend's dlq, so the same queries work on each.
    public static readonly IReadOnlyList<TableFieldSchema> DeadLetterFields =
    [
        .. KafkaFields(DeadLetterClusterColumn),
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

    public const string DeadLetterClusterColumn = "cluster_id";

    private static IReadOnlyList<TableFieldSchema> KafkaFields(string clusterColumn) =>
    [
        new(clusterColumn, "STRING", "REQUIRED"),
        new("kafka_topic", "STRING", "REQUIRED"),
        new("kafka_partition", "INTEGER", "REQUIRED"),
        new("kafka_offset", "INTEGER", "REQUIRED"),
        new("kafka_timestamp", "TIMESTAMP"),
        new(
            "kafka_next_offset",
            "INTEGER",
            "NULLABLE",
            "Set only on the rows written last for their batch and partition: the offset the partition resumes from once they are visible"),
    ];

    public static string DedupeQuery(string project, string dataset) => $"""
        SELECT * EXCEPT (dedupe_rank) FROM (
          SELECT *, ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY kafka_offset) AS dedupe_rank
          FROM `{project}.{dataset}.{WarehouseTables.FlightsRaw}`)
        WHERE dedupe_rank = 1
        """;

    public static byte[] Flight(LoadRow row, string clusterId, long? nextOffset, DateTime ingestedAt) => Write(writer =>
    {
        var flight = row.Flight;
        writer.WriteString("event_id", flight.EventId);
        writer.WriteString("flight_id", flight.FlightId);
        WriteTimestamp(writer, "timestamp", flight.Timestamp);
        WriteString(writer, "airline", flight.Airline);
        WriteString(writer, "flight_number", flight.FlightNumber);
        WriteString(writer, "origin", flight.Origin);
        WriteString(writer, "destination", flight.Destination);
        WriteTimestamp(writer, "scheduled_departure", flight.ScheduledDeparture);
        WriteTimestamp(writer, "actual_departure", flight.ActualDeparture);
        WriteTimestamp(writer, "scheduled_arrival", flight.ScheduledArrival);
        WriteTimestamp(writer, "actual_arrival", flight.ActualArrival);
        WriteString(writer, "status", flight.Status);
        WriteString(writer, "aircraft_type", flight.AircraftType);
        WriteNumber(writer, "latitude", flight.Latitude);
        WriteNumber(writer, "longitude", flight.Longitude);
        WriteNumber(writer, "altitude", flight.Altitude);
        WriteNumber(writer, "speed", flight.Speed);
        WriteNumber(writer, "distance", flight.Distance);
        WriteNumber(writer, "delay", flight.Delay);
        writer.WriteString("source", flight.Source);
        WriteInteger(writer, "source_position", flight.SourcePosition);
        writer.WriteString("raw", row.RawJson);
        WriteKafka(writer, "kafka_cluster_id", clusterId, row.Position, nextOffset);
        WriteTimestamp(writer, "ingested_at", ingestedAt);
    });

    public static byte[] DeadLetter(DeadLetter letter, string clusterId, long? nextOffset, DateTime deadLetteredAt) => Write(writer =>
    {
        WriteKafka(writer, DeadLetterClusterColumn, clusterId, letter.Position, nextOffset);
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

    private static void WriteKafka(Utf8JsonWriter writer, string clusterColumn, string clusterId, KafkaPosition position, long? nextOffset)
    {
        writer.WriteString(clusterColumn, clusterId);
        writer.WriteString("kafka_topic", position.Topic);
        // INTEGER values go as strings, as BigQuery writes int64 itself: no precision lost in any JSON reader.
        writer.WriteString("kafka_partition", position.Partition.ToString(CultureInfo.InvariantCulture));
        writer.WriteString("kafka_offset", position.Offset.ToString(CultureInfo.InvariantCulture));
        WriteTimestamp(writer, "kafka_timestamp", position.Timestamp == default ? null : position.Timestamp);
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

    private static void WriteString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
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
