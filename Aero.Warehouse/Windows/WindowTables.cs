namespace Aero.Warehouse.Windows;

/// <summary>
/// The windows' tables, the same in every backend: <c>flight_window_partials</c> (written by the load with its rows),
/// <c>_aero_watermarks</c> (each partition's highest event time, written with its offsets), <c>_aero_windows_final</c>
/// (one row per final window: its key makes finalizing happen once), <c>flight_window_stats</c> (the merged windows)
/// and <c>flight_window_late</c> (partials that came after their window was final).
/// </summary>
public static class WindowTables
{
    public const string Partials = "flight_window_partials";
    public const string Watermarks = "_aero_watermarks";
    public const string Final = "_aero_windows_final";
    public const string Stats = "flight_window_stats";
    public const string Late = "flight_window_late";

    /// <summary>The aggregate columns every partial, stats and late row holds.</summary>
    internal static readonly (string Name, FlightColumnType Type, bool Nullable)[] Counts =
    [
        ("flights", FlightColumnType.BigInt, false),
        ("departure_delay_count", FlightColumnType.BigInt, false),
        ("departure_delay_sum_ms", FlightColumnType.BigInt, false),
        ("departure_delay_min_ms", FlightColumnType.BigInt, true),
        ("departure_delay_max_ms", FlightColumnType.BigInt, true),
        ("arrival_delay_count", FlightColumnType.BigInt, false),
        ("arrival_delay_sum_ms", FlightColumnType.BigInt, false),
        ("arrival_delay_min_ms", FlightColumnType.BigInt, true),
        ("arrival_delay_max_ms", FlightColumnType.BigInt, true),
        ("on_time", FlightColumnType.BigInt, false),
        ("minor", FlightColumnType.BigInt, false),
        ("moderate", FlightColumnType.BigInt, false),
        ("major", FlightColumnType.BigInt, false),
    ];

    /// <summary>What names a window and key.</summary>
    internal static readonly (string Name, FlightColumnType Type, bool Nullable)[] Window =
    [
        ("window_id", FlightColumnType.Text, false),
        ("window_start", FlightColumnType.Timestamp, false),
        ("window_end", FlightColumnType.Timestamp, false),
        ("dimension", FlightColumnType.Text, false),
        ("window_key", FlightColumnType.Text, false),
    ];

    /// <summary>Where a late partial's records sat in Kafka.</summary>
    internal static readonly (string Name, FlightColumnType Type, bool Nullable)[] Source =
    [
        ("cluster_id", FlightColumnType.Text, false),
        ("topic", FlightColumnType.Text, false),
        ("kafka_partition", FlightColumnType.Int4, false),
        ("first_offset", FlightColumnType.BigInt, false),
        ("last_offset", FlightColumnType.BigInt, false),
    ];

    /// <summary>The partials' columns in table order, with each one's value: what the appender and COPY write.</summary>
    public static IReadOnlyList<(string Name, FlightColumnType Type, bool Nullable, Func<string, WindowPartial, DateTime, object?> Value)> PartialColumns { get; } =
    [
        ("window_id", FlightColumnType.Text, false, (_, p, _) => p.WindowId),
        ("window_start", FlightColumnType.Timestamp, false, (_, p, _) => p.WindowStart),
        ("window_end", FlightColumnType.Timestamp, false, (_, p, _) => p.WindowEnd),
        ("dimension", FlightColumnType.Text, false, (_, p, _) => p.Dimension),
        ("window_key", FlightColumnType.Text, false, (_, p, _) => p.Key),
        ("cluster_id", FlightColumnType.Text, false, (cluster, _, _) => cluster),
        ("topic", FlightColumnType.Text, false, (_, p, _) => p.Topic),
        ("kafka_partition", FlightColumnType.Int4, false, (_, p, _) => p.Partition),
        ("first_offset", FlightColumnType.BigInt, false, (_, p, _) => p.FirstOffset),
        ("last_offset", FlightColumnType.BigInt, false, (_, p, _) => p.LastOffset),
        ("flights", FlightColumnType.BigInt, false, (_, p, _) => p.Flights),
        ("departure_delay_count", FlightColumnType.BigInt, false, (_, p, _) => p.DepartureDelayCount),
        ("departure_delay_sum_ms", FlightColumnType.BigInt, false, (_, p, _) => p.DepartureDelaySumMs),
        ("departure_delay_min_ms", FlightColumnType.BigInt, true, (_, p, _) => p.DepartureDelayMinMs),
        ("departure_delay_max_ms", FlightColumnType.BigInt, true, (_, p, _) => p.DepartureDelayMaxMs),
        ("arrival_delay_count", FlightColumnType.BigInt, false, (_, p, _) => p.ArrivalDelayCount),
        ("arrival_delay_sum_ms", FlightColumnType.BigInt, false, (_, p, _) => p.ArrivalDelaySumMs),
        ("arrival_delay_min_ms", FlightColumnType.BigInt, true, (_, p, _) => p.ArrivalDelayMinMs),
        ("arrival_delay_max_ms", FlightColumnType.BigInt, true, (_, p, _) => p.ArrivalDelayMaxMs),
        ("on_time", FlightColumnType.BigInt, false, (_, p, _) => p.OnTime),
        ("minor", FlightColumnType.BigInt, false, (_, p, _) => p.Minor),
        ("moderate", FlightColumnType.BigInt, false, (_, p, _) => p.Moderate),
        ("major", FlightColumnType.BigInt, false, (_, p, _) => p.Major),
        ("min_event_time", FlightColumnType.Timestamp, false, (_, p, _) => p.MinEventTime),
        ("written_at", FlightColumnType.Timestamp, false, (_, _, at) => at),
    ];

    /// <summary>
    /// The CREATE TABLE statements of the five tables, in a backend's types. <paramref name="keyStats"/>: whether
    /// <see cref="Stats"/> has its primary key (an index to find a window's rows by); the final-window key alone decides
    /// that each window is merged once.
    /// </summary>
    public static IEnumerable<string> CreateStatements(Func<FlightColumnType, string> sqlType, string schemaPrefix = "", bool keyStats = true)
    {
        string Columns(IEnumerable<(string Name, FlightColumnType Type, bool Nullable)> columns) =>
            string.Join(", ", columns.Select(c => $"{c.Name} {sqlType(c.Type)}{(c.Nullable ? "" : " NOT NULL")}"));
        var timestamp = sqlType(FlightColumnType.Timestamp);
        var text = sqlType(FlightColumnType.Text);
        yield return $"CREATE TABLE IF NOT EXISTS {schemaPrefix}{Partials} ({Columns(PartialColumns.Select(c => (c.Name, c.Type, c.Nullable)))})";
        yield return $"""
            CREATE TABLE IF NOT EXISTS {schemaPrefix}{Watermarks} (
              cluster_id {text} NOT NULL, topic {text} NOT NULL, kafka_partition {sqlType(FlightColumnType.Int4)} NOT NULL,
              max_event_time {timestamp}, updated_at {timestamp} NOT NULL, PRIMARY KEY (cluster_id, topic, kafka_partition))
            """;
        yield return $"""
            CREATE TABLE IF NOT EXISTS {schemaPrefix}{Final} (
              window_id {text} NOT NULL PRIMARY KEY, window_start {timestamp} NOT NULL, window_end {timestamp} NOT NULL,
              watermark {timestamp} NOT NULL, finalized_at {timestamp} NOT NULL, closed_by {text} NOT NULL, finalizing {text} NOT NULL)
            """;
        yield return $"""
            CREATE TABLE IF NOT EXISTS {schemaPrefix}{Stats} (
              {Columns(Window)}, {Columns(Counts)},
              avg_departure_delay_minutes {sqlType(FlightColumnType.Float8)}, avg_arrival_delay_minutes {sqlType(FlightColumnType.Float8)},
              on_time_share {sqlType(FlightColumnType.Float8)}, finalized_at {timestamp} NOT NULL{(keyStats ? ",\n  PRIMARY KEY (window_id, dimension, window_key)" : "")})
            """;
        yield return $"""
            CREATE TABLE IF NOT EXISTS {schemaPrefix}{Late} (
              {Columns(Window)}, {Columns(Source)}, flights {sqlType(FlightColumnType.BigInt)} NOT NULL,
              late_by_ms {sqlType(FlightColumnType.BigInt)} NOT NULL, recorded_at {timestamp} NOT NULL)
            """;
    }

    /// <summary>
    /// The merged rows of <paramref name="from"/> (partials), grouped per window and key: the columns of <see cref="Stats"/>
    /// in order. Sums of integers are exact; averages and the on-time share are derived from the sums only here.
    /// <paramref name="finalizedAt"/> is the SQL (a parameter) of the finalizing time; <paramref name="floatType"/> the
    /// dialect's 64-bit floating point type.
    /// </summary>
    public static string MergedSelect(string from, string finalizedAt, string floatType = "DOUBLE PRECISION") => $"""
        SELECT window_id, min(window_start), min(window_end), dimension, window_key,
          sum(flights), sum(departure_delay_count), sum(departure_delay_sum_ms), min(departure_delay_min_ms), max(departure_delay_max_ms),
          sum(arrival_delay_count), sum(arrival_delay_sum_ms), min(arrival_delay_min_ms), max(arrival_delay_max_ms),
          sum(on_time), sum(minor), sum(moderate), sum(major),
          CAST(sum(departure_delay_sum_ms) AS {floatType}) / nullif(sum(departure_delay_count), 0) / 60000,
          CAST(sum(arrival_delay_sum_ms) AS {floatType}) / nullif(sum(arrival_delay_count), 0) / 60000,
          CAST(sum(on_time) AS {floatType}) / nullif(sum(on_time) + sum(minor) + sum(moderate) + sum(major), 0),
          {finalizedAt}
        FROM {from}
        GROUP BY window_id, dimension, window_key
        """;

    /// <summary>
    /// The rows of <see cref="Late"/> from late partials <paramref name="partials"/> (alias p) of windows final before
    /// (<paramref name="final"/>, alias f): how late is how far the earliest record was behind the watermark that closed its window.
    /// </summary>
    public static string LateSelect(string partials, string final, string lateByMs, string recordedAt) => $"""
        SELECT p.window_id, p.window_start, p.window_end, p.dimension, p.window_key, p.cluster_id, p.topic, p.kafka_partition,
          p.first_offset, p.last_offset, p.flights, {lateByMs}, {recordedAt}
        FROM {partials} p JOIN {final} f ON p.window_id = f.window_id
        """;

    /// <summary>The open windows: with partials, not final; oldest end first.</summary>
    public static string OpenSelect(string prefix) =>
        $"SELECT window_id, min(window_start), min(window_end) FROM {prefix}{Partials} WHERE window_id NOT IN (SELECT window_id FROM {prefix}{Final}) GROUP BY window_id ORDER BY 3, 1";

    public static string PartitionsSelect(string prefix) => $"""
        SELECT w.cluster_id, w.topic, w.kafka_partition, w.max_event_time, w.updated_at, o.next_offset
        FROM {prefix}{Watermarks} w LEFT JOIN {prefix}{WarehouseTables.Offsets} o
          ON o.cluster_id = w.cluster_id AND o.topic = w.topic AND o.kafka_partition = w.kafka_partition
        ORDER BY w.cluster_id, w.topic, w.kafka_partition
        """;

    /// <summary>
    /// Final windows matching <paramref name="where"/> (on alias f), with the records each counts: every record is in
    /// each dimension once, so any dimension's sum is the count; the largest is taken.
    /// </summary>
    public static string FinalSelect(string prefix, string where, string tail = "") => $"""
        SELECT f.window_id, f.window_start, f.window_end, f.watermark, f.finalized_at, f.closed_by,
          CAST(coalesce((SELECT max(t) FROM (SELECT sum(s.flights) AS t FROM {prefix}{Stats} s WHERE s.window_id = f.window_id GROUP BY s.dimension) d), 0) AS BIGINT)
        FROM {prefix}{Final} f WHERE {where}
        ORDER BY f.finalized_at DESC, f.window_end DESC {tail}
        """;

    /// <summary>Records counted late (matching <paramref name="where"/>), in the same way as <see cref="FinalSelect"/>.</summary>
    public static string LateCountSelect(string prefix, string where) =>
        $"SELECT CAST(coalesce(max(t), 0) AS BIGINT) FROM (SELECT sum(flights) AS t FROM {prefix}{Late} WHERE {where} GROUP BY dimension) d";
}
