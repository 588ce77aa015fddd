using Aero.Kafka.Messages;
using Aero.Warehouse;
using Parquet;
using Parquet.Schema;

namespace Aero.Streams.Archive;

/// <summary>
/// The columns of an archive file: <c>flights_raw</c>'s (<see cref="FlightColumns"/>, the same names and types, so a
/// query runs on both) but for its <c>raw</c> text and <c>ingested_at</c>; then the record's <c>key</c> and
/// <c>value</c> bytes exactly as Kafka held them (what a replay produces again), and <c>dead_letter_reason</c>. A
/// record that is not a valid flight is archived too, never dropped: its flight columns are null, its bytes and
/// Kafka position are kept, and the reason says why the load dead-letters it.
/// </summary>
public static class ArchiveColumns
{
    public const string Key = "key";
    public const string Value = "value";
    public const string DeadLetterReason = "dead_letter_reason";
    public const string KafkaPartition = "kafka_partition";
    public const string KafkaOffset = "kafka_offset";

    private static readonly HashSet<string> NotArchived = ["raw", "ingested_at"];

    // Where a record sat is known for dead letters too; the other columns only a flight fills.
    private static readonly Dictionary<string, Func<KafkaPosition, object?>> PositionColumns = new()
    {
        ["kafka_topic"] = p => p.Topic,
        [KafkaPartition] = p => p.Partition,
        [KafkaOffset] = p => p.Offset,
        ["kafka_timestamp"] = p => p.Timestamp,
    };

    private static readonly IReadOnlyList<Column> All =
    [
        .. FlightColumns.All.Where(c => !NotArchived.Contains(c.Name)).Select(FromFlightColumn),
        new(new DataField<byte[]>(Key, nullable: true), (group, field, records) => group.WriteAsync(field, records.Select(r => r.Key).ToArray())),
        new(new DataField<byte[]>(Value, nullable: false), (group, field, records) => group.WriteAsync(field, records.Select(r => r.Value).ToArray())),
        new(new DataField<string>(DeadLetterReason, nullable: true), (group, field, records) => group.WriteAsync(field, records.Select(r => (r.Record as DeadLetter)?.Reason).ToArray())),
    ];

    public static ParquetSchema Schema { get; } = new(All.Select(c => (Field)c.Field));

    /// <summary>Writes <paramref name="records"/> as one row group.</summary>
    public static async Task WriteRowGroupAsync(ParquetWriter writer, IReadOnlyList<ArchivedRecord> records)
    {
        using var group = writer.CreateRowGroup();
        foreach (var column in All)
        {
            await column.Write(group, column.Field, records);
        }
    }

    private static Column FromFlightColumn(FlightColumn column)
    {
        var fromPosition = PositionColumns.GetValueOrDefault(column.Name);
        // Nullable unless Kafka gives every record one: a dead letter has no flight.
        var nullable = fromPosition is null || column.Nullable;
        object? ValueOf(ArchivedRecord record) =>
            fromPosition is not null ? fromPosition(record.Record.Position)
            : record.Record is LoadRow row ? column.Value(row, default)
            : null;

        return column.Type switch
        {
            FlightColumnType.Text or FlightColumnType.Json =>
                new(new DataField<string>(column.Name, nullable: nullable), (group, field, records) => group.WriteAsync(field, records.Select(r => (string?)ValueOf(r)).ToArray())),
            FlightColumnType.Int4 => Values<int>(column.Name, nullable, ValueOf),
            FlightColumnType.BigInt => Values<long>(column.Name, nullable, ValueOf),
            FlightColumnType.Float8 => Values<double>(column.Name, nullable, ValueOf),
            FlightColumnType.Boolean => Values<bool>(column.Name, nullable, ValueOf),
            FlightColumnType.Timestamp =>
                new(new DateTimeDataField(column.Name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: nullable),
                    (group, field, records) => group.WriteAsync(field, new ReadOnlyMemory<DateTime?>([.. records.Select(r => (DateTime?)ValueOf(r))]))),
            _ => throw new InvalidOperationException($"flights_raw column {column.Name} has a type the archive does not know: {column.Type}"),
        };
    }

    private static Column Values<T>(string name, bool nullable, Func<ArchivedRecord, object?> valueOf)
        where T : struct =>
        nullable
            ? new(new DataField<T?>(name), (group, field, records) => group.WriteAsync(field, new ReadOnlyMemory<T?>([.. records.Select(r => (T?)valueOf(r))])))
            : new(new DataField<T>(name), (group, field, records) => group.WriteAsync(field, new ReadOnlyMemory<T>([.. records.Select(r => (T)valueOf(r)!)])));

    private sealed record Column(DataField Field, Func<ParquetRowGroupWriter, DataField, IReadOnlyList<ArchivedRecord>, Task> Write);
}
