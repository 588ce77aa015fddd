using System.Text.Json.Nodes;

namespace Aero.FakeBigQuery;

/// <summary>A finished query's schema and rows (already in <c>{"f":[{"v":...}]}</c> form), plus DML/DDL outcome.</summary>
internal sealed record QueryResult(
    List<BigQueryField> Fields,
    List<object?[]> Rows,
    string StatementType,
    long? DmlAffectedRows,
    string? DdlOperation,
    JsonObject? DdlTarget)
{
    public JsonArray RowsJson(int start, int count, bool int64Timestamps) =>
        new([.. Rows.Skip(start).Take(count).Select(row => (JsonNode)new JsonObject
        {
            ["f"] = new JsonArray([.. row.Select((value, i) => (JsonNode)new JsonObject { ["v"] = BigQueryValues.ToCell(value, Fields[i], int64Timestamps) })]),
        })]);
}
