using System.Text.Json.Nodes;

namespace Aero.FakeBigQuery;

/// <summary>A table or view: its resource as stored (schema kept as sent), parsed fields, and streaming state.</summary>
internal sealed class TableEntry(string projectId, string datasetId, string tableId, JsonObject resource, List<BigQueryField> fields, bool isView)
{
    public string ProjectId { get; } = projectId;

    public string DatasetId { get; } = datasetId;

    public string TableId { get; } = tableId;

    public JsonObject Resource { get; set; } = resource;

    public List<BigQueryField> Fields { get; set; } = fields;

    public bool IsView { get; } = isView;

    public string Key => FakeBigQueryStats.TableKey(ProjectId, DatasetId, TableId);

    /// <summary>insertIds seen, with when: a re-sent id inside the dedupe window is dropped.</summary>
    public Dictionary<string, DateTimeOffset> InsertIds { get; } = new(StringComparer.Ordinal);

    /// <summary>Fields added by a schema change, with when: insertAll refuses them for a while (StreamingSchemaDelay).</summary>
    public Dictionary<string, DateTimeOffset> FieldsAddedAt { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Streamed row batches still in the streaming buffer.</summary>
    public List<(DateTimeOffset At, long Rows)> Buffered { get; } = [];
}
