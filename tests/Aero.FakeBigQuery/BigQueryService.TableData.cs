using System.Text.Json.Nodes;

namespace Aero.FakeBigQuery;

internal sealed partial class BigQueryService
{
    private ApiResponse InsertAll(ApiRequest request)
    {
        var body = request.Body as JsonObject ?? throw BigQueryException.Invalid("A TableDataInsertAllRequest is required.");
        var (tableId, partition) = SplitDecorator(request["tableId"]);
        var table = Table(request["projectId"], request["datasetId"], tableId);
        CheckDecorator(table, partition);
        var rows = body["rows"] as JsonArray ?? [];
        if (rows.Count == 0)
        {
            throw BigQueryException.Invalid("No rows present in the request.");
        }

        if (rows.Count > _options.MaxInsertAllRows)
        {
            throw BigQueryException.Invalid($"too many rows present in the request, limit: {_options.MaxInsertAllRows} row count: {rows.Count}.");
        }

        if (table.IsView)
        {
            throw BigQueryException.Invalid($"Cannot insert into a view: {table.Key}");
        }

        if (table.Fields.Count == 0)
        {
            throw BigQueryException.Invalid("The destination table has no schema.");
        }

        if (body["templateSuffix"]?.GetValue<string>() is { Length: > 0 } suffix)
        {
            table = TemplateTable(table, suffix);
        }

        var skipInvalid = body["skipInvalidRows"]?.GetValue<bool>() ?? false;
        var ignoreUnknown = body["ignoreUnknownValues"]?.GetValue<bool>() ?? false;
        var insertErrors = new JsonArray();
        var good = new List<(int Index, string? InsertId, string[] Literals)>();
        for (var index = 0; index < rows.Count; index++)
        {
            var row = rows[index];
            if (row?["json"] is not JsonObject json)
            {
                insertErrors.Add(RowError(index, [("", "Row has no json object.")]));
                continue;
            }

            _ = TryRowLiterals(table.Fields, json, ignoreUnknown, out var literals, out var errors);
            errors.AddRange(StreamingErrors(table, json));
            if (errors.Count == 0)
            {
                good.Add((index, row["insertId"]?.GetValue<string>(), literals));
            }
            else
            {
                insertErrors.Add(RowError(index, errors));
            }
        }

        // A row with a schema mismatch stops the whole request: the good rows are reported "stopped", nothing is stored.
        if (insertErrors.Count > 0 && !skipInvalid)
        {
            foreach (var (index, _, _) in good)
            {
                insertErrors.Add(new JsonObject
                {
                    ["index"] = index,
                    ["errors"] = new JsonArray(new JsonObject { ["reason"] = "stopped", ["location"] = "", ["debugInfo"] = "", ["message"] = "" }),
                });
            }

            var sorted = insertErrors.OrderBy(e => e!["index"]!.GetValue<int>()).Select(e => e!.DeepClone()).ToArray();
            return ApiResponse.Ok(new JsonObject { ["kind"] = "bigquery#tableDataInsertAllResponse", ["insertErrors"] = new JsonArray(sorted) });
        }

        var now = Now;
        foreach (var expired in table.InsertIds.Where(p => now - p.Value >= _options.InsertIdDedupeWindow).Select(p => p.Key).ToList())
        {
            table.InsertIds.Remove(expired);
        }

        var fresh = new List<string[]>();
        foreach (var (_, insertId, literals) in good)
        {
            if (insertId is { Length: > 0 })
            {
                if (table.InsertIds.ContainsKey(insertId))
                {
                    continue;
                }

                table.InsertIds[insertId] = now;
            }

            fresh.Add(literals);
        }

        _warehouse.Atomically(() => _warehouse.Insert(table.ProjectId, table.DatasetId, table.TableId, [.. table.Fields.Select(f => f.Name)], fresh));
        if (fresh.Count > 0)
        {
            table.Buffered.Add((now, fresh.Count));
            _stats.CountRowsInserted(table.Key, fresh.Count);
        }

        var response = new JsonObject { ["kind"] = "bigquery#tableDataInsertAllResponse" };
        if (insertErrors.Count > 0)
        {
            response["insertErrors"] = insertErrors;
        }

        return ApiResponse.Ok(response);
    }

    /// <summary>
    /// What only streaming refuses: fields added moments ago (the streaming backend does not know them yet), and a
    /// partitioning date outside 3,650 days back and 365 days ahead of today.
    /// </summary>
    private List<(string Location, string Message)> StreamingErrors(TableEntry table, JsonObject row)
    {
        var errors = new List<(string, string)>();
        var now = Now;
        foreach (var (name, _) in row)
        {
            if (table.FieldsAddedAt.TryGetValue(name, out var added) && now - added < _options.StreamingSchemaDelay)
            {
                errors.Add((name, $"no such field: {name}."));
            }
        }

        var field = table.Resource["timePartitioning"]?["field"]?.GetValue<string>();
        if (field is not null && row[field] is { } value && PartitionDate(value) is { } date)
        {
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            if (date < today.AddDays(-3650) || date > today.AddDays(365))
            {
                errors.Add((field, $"Value {value.ToJsonString()} for field {field} of the destination table {table.Key} is outside the allowed bounds. " +
                    "You can only stream to date range within 3650 days in the past and 365 days in the future relative to the current date."));
            }
        }

        return errors;
    }

    private static DateOnly? PartitionDate(JsonNode value)
    {
        var text = value.GetValueKind() == System.Text.Json.JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, invariant, out var seconds))
        {
            return DateOnly.FromDateTime(DateTime.UnixEpoch.AddSeconds(seconds));
        }

        return DateTime.TryParse(text, invariant, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var time)
            ? DateOnly.FromDateTime(time)
            : null;
    }

    // templateSuffix streams into {table}{suffix}, created on first use with the base table's schema.
    private TableEntry TemplateTable(TableEntry template, string suffix)
    {
        var tableId = template.TableId + suffix;
        CheckId(tableId, "Table", 1024, allowDash: true);
        var dataset = Dataset(template.ProjectId, template.DatasetId);
        if (dataset.Tables.TryGetValue(tableId, out var existing))
        {
            return existing;
        }

        var body = new JsonObject { ["schema"] = BigQueryField.SchemaJson(template.Fields) };
        return CreateTable(dataset, tableId, body);
    }

    private static JsonObject RowError(int index, List<(string Location, string Message)> errors) => new()
    {
        ["index"] = index,
        ["errors"] = new JsonArray([.. errors.Select(e => (JsonNode)new JsonObject
        {
            ["reason"] = "invalid",
            ["location"] = e.Location,
            ["debugInfo"] = "",
            ["message"] = e.Message,
        })]),
    };

    /// <summary>A row's values as SQL literals in field order, or its errors (unknown field, missing REQUIRED, bad value).</summary>
    private static bool TryRowLiterals(
        List<BigQueryField> fields, JsonObject row, bool ignoreUnknown, out string[] literals, out List<(string Location, string Message)> errors)
    {
        errors = [];
        literals = new string[fields.Count];
        var values = new Dictionary<string, JsonNode?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in row)
        {
            if (fields.Any(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                values[name] = value;
            }
            else if (!ignoreUnknown)
            {
                errors.Add((name, $"no such field: {name}."));
            }
        }

        for (var i = 0; i < fields.Count; i++)
        {
            if (!BigQueryValues.TryToSqlLiteral(fields[i], values.GetValueOrDefault(fields[i].Name), out literals[i], out var error))
            {
                errors.Add((fields[i].Name, error));
            }
        }

        return errors.Count == 0;
    }

    private ApiResponse ListTableData(ApiRequest request)
    {
        var table = Table(request["projectId"], request["datasetId"], request["tableId"]);
        if (table.IsView)
        {
            throw BigQueryException.Invalid($"Cannot list a table of type VIEW: {table.Key}");
        }

        var start = PageStart(request);
        var size = PageSize(request, 100_000);
        var selected = request.QueryValue("selectedFields")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var fields = selected is null ? table.Fields : [.. table.Fields.Where(f => selected.Contains(f.Name, StringComparer.OrdinalIgnoreCase))];
        var all = _warehouse.Read(
            $"SELECT {string.Join(", ", fields.Select(f => Warehouse.Quote(f.Name)))} FROM {Warehouse.Name(table.ProjectId, table.DatasetId, table.TableId)} ORDER BY rowid");
        var result = new QueryResult(fields, all, "SELECT", null, null, null);
        var json = new JsonObject { ["kind"] = "bigquery#tableDataList", ["etag"] = Etag(), ["totalRows"] = Ms(all.Count) };
        if (fields.Count > 0 && start < all.Count)
        {
            json["rows"] = result.RowsJson(start, size, request.QueryValue("formatOptions.useInt64Timestamp") == "true");
        }

        if (start + size < all.Count)
        {
            json["pageToken"] = Ms(start + size);
        }

        return ApiResponse.Ok(json);
    }
}
