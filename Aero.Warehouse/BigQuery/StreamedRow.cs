namespace Aero.Warehouse.BigQuery;

/// <summary>One insertAll row: its insertId and its JSON object, serialized once.</summary>
internal sealed record StreamedRow(string InsertId, byte[] Json);
