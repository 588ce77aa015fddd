namespace Aero.Warehouse.BigQuery;

/// <summary>How <see cref="BigQueryWarehouse"/> writes rows (<c>aero.warehouse.bigquery.mode</c>).</summary>
public enum BigQueryWriteMode
{
    /// <summary>NDJSON load jobs with deterministic ids: atomic per job, exactly once.</summary>
    Load,

    /// <summary><c>tabledata.insertAll</c>: rows queryable at once, at least once, deduplicated by the view.</summary>
    Streaming,
}
