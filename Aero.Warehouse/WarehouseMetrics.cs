using System.Diagnostics.Metrics;

namespace Aero.Warehouse;

/// <summary>
/// Load metrics through System.Diagnostics.Metrics (meter "Aero.Warehouse"), exported by the node like the Kafka ones:
/// what each batch wrote, and how long the warehouse took, which is what holds back consumption when it is slow.
/// </summary>
public static class WarehouseMetrics
{
    public const string MeterName = "Aero.Warehouse";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> RowsStored = Meter.CreateCounter<long>("aero_warehouse_rows_stored", description: "Rows inserted into flights_raw");
    public static readonly Counter<long> RowsAlreadyStored = Meter.CreateCounter<long>("aero_warehouse_rows_already_stored", description: "Rows skipped because their event id was already stored");
    public static readonly Counter<long> DeadLetters = Meter.CreateCounter<long>("aero_warehouse_dead_letters", description: "Records that failed to decode, written to the dlq table");
    public static readonly Histogram<double> BatchSeconds = Meter.CreateHistogram<double>("aero_warehouse_batch_seconds", unit: "s", description: "Time of one batch's atomic write (rows, dead letters, offsets)");
    internal static readonly Counter<long> RowsRefused = Meter.CreateCounter<long>("aero_warehouse_rows_refused", description: "Rows the warehouse refused to store (a value it cannot hold), dead-lettered with its reason");
    internal static readonly Counter<long> RecordsFenced = Meter.CreateCounter<long>("aero_warehouse_records_fenced", description: "Records of a batch left out because the stored offset had already passed them (another writer owns the partition)");
    public static readonly Counter<long> TopicRecreated = Meter.CreateCounter<long>("aero_warehouse_topic_recreated", description: "Assigned partitions whose stored offset does not fit their log (beyond its end, or another record before it): a topic re-created under the same name; the load stops");
    public static readonly Counter<long> BatchFailures = Meter.CreateCounter<long>("aero_warehouse_batch_failures", description: "Batch writes that failed (the graph restarts)");
}
