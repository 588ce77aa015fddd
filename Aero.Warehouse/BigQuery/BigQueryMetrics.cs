using System.Diagnostics.Metrics;

namespace Aero.Warehouse.BigQuery;

/// <summary>Counters of the BigQuery warehouse, in the meter <c>Aero.Warehouse</c>.</summary>
internal static class BigQueryMetrics
{
    public const string MeterName = "Aero.Warehouse";

    private static readonly Meter Meter = new(MeterName);

    internal static readonly Counter<long> QuotaExceeded =
        Meter.CreateCounter<long>("aero_warehouse_quota_exceeded", description: "BigQuery quotaExceeded answers: an alarm, each followed by the long quota back-off");

    internal static readonly Counter<long> Retries =
        Meter.CreateCounter<long>("aero_warehouse_retries", description: "BigQuery calls retried after a transient failure");

    internal static readonly Counter<long> LoadJobs =
        Meter.CreateCounter<long>("aero_warehouse_load_jobs", description: "BigQuery load jobs confirmed DONE without error");

    internal static readonly Counter<long> StreamedRows =
        Meter.CreateCounter<long>("aero_warehouse_streamed_rows", description: "Rows BigQuery accepted through insertAll");

    internal static readonly Counter<long> RowsLoadedInsteadOfStreamed =
        Meter.CreateCounter<long>("aero_warehouse_rows_loaded_instead_of_streamed", description: "Rows of streaming mode that insertAll would refuse (dates outside its window, columns added moments ago), sent by a load job");
}
