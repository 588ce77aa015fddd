using System.Text.Json.Nodes;

namespace Aero.FakeBigQuery;

internal sealed partial class BigQueryService
{
    private static readonly string[] PatchableProperties =
        ["description", "friendlyName", "labels", "expirationTime", "clustering", "requirePartitionFilter"];

    private static readonly string[] ListedProperties = ["timePartitioning", "clustering", "labels", "friendlyName", "expirationTime"];

    private ApiResponse InsertTable(ApiRequest request)
    {
        var dataset = Dataset(request["projectId"], request["datasetId"]);
        var body = Clean(request.Body) as JsonObject ?? throw BigQueryException.Invalid("A Table resource is required.");
        var tableId = body["tableReference"]?["tableId"]?.GetValue<string>() ?? throw BigQueryException.Invalid("Table ID is required.");
        CheckId(tableId, "Table", 1024, allowDash: true);
        if (dataset.Tables.ContainsKey(tableId))
        {
            throw BigQueryException.Duplicate($"Table {dataset.ProjectId}:{dataset.DatasetId}.{tableId}");
        }

        var table = CreateTable(dataset, tableId, body);
        return ApiResponse.Ok(TableJson(table));
    }

    private TableEntry CreateTable(DatasetEntry dataset, string tableId, JsonObject body)
    {
        var now = Ms(NowMs);
        body["tableReference"] = new JsonObject { ["projectId"] = dataset.ProjectId, ["datasetId"] = dataset.DatasetId, ["tableId"] = tableId };
        body["creationTime"] = now;
        body["lastModifiedTime"] = now;
        var schemaNode = body["schema"];
        body.Remove("schema");
        TableEntry table;
        if (body["view"] is JsonObject view)
        {
            var query = view["query"]?.GetValue<string>() ?? throw BigQueryException.Invalid("A view needs view.query.");
            RequireStandardSql(view["useLegacySql"], "view.useLegacySql");
            view["useLegacySql"] = false;
            UseProject(dataset.ProjectId, null);
            RunDuckDb(() => _warehouse.Execute($"CREATE VIEW {Warehouse.Name(dataset.ProjectId, dataset.DatasetId, tableId)} AS {SqlTranslator.Translate(query, NoParameters)}"));
            var columns = _warehouse.Objects(dataset.ProjectId, dataset.DatasetId)[tableId].Columns;
            table = new TableEntry(dataset.ProjectId, dataset.DatasetId, tableId, body,
                [.. columns.Select(c => BigQueryField.FromDuckDb(c.Name, c.Type, nullable: true))], isView: true);
        }
        else
        {
            var fields = BigQueryField.ParseSchema(schemaNode);
            CheckPartitioning(body, fields);
            _warehouse.CreateTable(dataset.ProjectId, dataset.DatasetId, tableId, fields);
            table = new TableEntry(dataset.ProjectId, dataset.DatasetId, tableId, body, fields, isView: false);
        }

        dataset.Tables[tableId] = table;
        return table;
    }

    private static void CheckPartitioning(JsonObject table, List<BigQueryField> fields)
    {
        if (table["timePartitioning"] is JsonObject partitioning)
        {
            var type = partitioning["type"]?.GetValue<string>();
            if (type is not ("DAY" or "HOUR" or "MONTH" or "YEAR"))
            {
                throw BigQueryException.Invalid($"Invalid value for timePartitioning.type: {type}");
            }

            if (partitioning["field"]?.GetValue<string>() is { } name
                && fields.FirstOrDefault(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) is not { CanonicalType: "TIMESTAMP" or "DATE" or "DATETIME", IsRepeated: false })
            {
                throw BigQueryException.Invalid($"The field specified for time partitioning can only be of type TIMESTAMP, DATE or DATETIME. The type found is: {name}.");
            }
        }

        if (table["clustering"]?["fields"] is JsonArray clustering)
        {
            if (clustering.Count > 4)
            {
                throw BigQueryException.Invalid("Too many clustering fields: at most 4 are allowed.");
            }

            foreach (var name in clustering.Select(n => n!.GetValue<string>()))
            {
                if (!fields.Any(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase) && !f.IsRepeated))
                {
                    throw BigQueryException.Invalid($"The field specified for clustering cannot be found in the schema.  Invalid field: {name}.");
                }
            }
        }
    }

    private JsonObject TableJson(TableEntry table)
    {
        var json = table.Resource.DeepClone().AsObject();
        json["kind"] = "bigquery#table";
        json["id"] = $"{table.ProjectId}:{table.DatasetId}.{table.TableId}";
        json["etag"] = Etag();
        json["selfLink"] = $"{Endpoint}bigquery/v2/projects/{Uri.EscapeDataString(table.ProjectId)}/datasets/{Uri.EscapeDataString(table.DatasetId)}/tables/{Uri.EscapeDataString(table.TableId)}";
        json["schema"] = BigQueryField.SchemaJson(table.Fields);
        json["type"] = table.IsView ? "VIEW" : "TABLE";
        json["location"] = Dataset(table.ProjectId, table.DatasetId).Location;
        if (!table.IsView)
        {
            var total = _warehouse.Count(table.ProjectId, table.DatasetId, table.TableId);
            var buffered = BufferedRows(table);
            json["numRows"] = Ms(total - buffered);
            json["numBytes"] = "0";
            if (buffered > 0)
            {
                json["streamingBuffer"] = new JsonObject
                {
                    ["estimatedRows"] = Ms(buffered),
                    ["estimatedBytes"] = "0",
                    ["oldestEntryTime"] = Ms(table.Buffered[0].At.ToUnixTimeMilliseconds()),
                };
            }
        }

        return json;
    }

    private long BufferedRows(TableEntry table)
    {
        table.Buffered.RemoveAll(b => Now - b.At >= _options.StreamingBufferHold);
        return table.Buffered.Sum(b => b.Rows);
    }

    private ApiResponse ListTables(ApiRequest request)
    {
        var dataset = Dataset(request["projectId"], request["datasetId"]);
        var tables = dataset.Tables.Values.Select(t =>
        {
            var item = new JsonObject
            {
                ["kind"] = "bigquery#table",
                ["id"] = $"{t.ProjectId}:{t.DatasetId}.{t.TableId}",
                ["tableReference"] = t.Resource["tableReference"]!.DeepClone(),
                ["type"] = t.IsView ? "VIEW" : "TABLE",
                ["creationTime"] = t.Resource["creationTime"]!.DeepClone(),
            };
            foreach (var name in ListedProperties)
            {
                if (t.Resource[name] is { } value)
                {
                    item[name] = value.DeepClone();
                }
            }

            if (t.IsView)
            {
                item["view"] = new JsonObject { ["useLegacySql"] = false };
            }

            return (JsonNode)item;
        }).ToList();
        var json = new JsonObject { ["kind"] = "bigquery#tableList", ["etag"] = Etag(), ["totalItems"] = tables.Count };
        if (tables.Count > 0)
        {
            json["tables"] = new JsonArray([.. tables]);
        }

        return ApiResponse.Ok(json);
    }

    // PATCH replaces only the sent properties; a sent schema may only add NULLABLE/REPEATED fields and relax REQUIRED ones.
    // PUT (tables.update) is served the same way, except that unsent mutable properties are cleared.
    private ApiResponse PatchTable(ApiRequest request)
    {
        var table = Table(request["projectId"], request["datasetId"], request["tableId"]);
        var body = Clean(request.Body) as JsonObject ?? [];
        var replace = request.MethodId == "bigquery.tables.update";
        if (body["schema"] is JsonObject schema && !table.IsView)
        {
            var proposed = BigQueryField.ParseSchema(schema);
            var (fields, statements) = SchemaChanges(table, proposed, allowAddition: true, allowRelaxation: true);
            _warehouse.Atomically(() => statements.ForEach(s => _warehouse.Execute(s)));
            foreach (var added in fields.Where(f => !table.Fields.Any(e => e.Name.Equals(f.Name, StringComparison.OrdinalIgnoreCase))))
            {
                table.FieldsAddedAt[added.Name] = Now;
            }

            table.Fields = fields;
        }

        foreach (var name in PatchableProperties)
        {
            if (body[name] is { } value)
            {
                table.Resource[name] = value.DeepClone();
            }
            else if (replace)
            {
                table.Resource.Remove(name);
            }
        }

        if (body["timePartitioning"]?["expirationMs"] is { } expiration && table.Resource["timePartitioning"] is JsonObject partitioning)
        {
            partitioning["expirationMs"] = expiration.DeepClone();
        }

        CheckPartitioning(table.Resource, table.Fields);
        table.Resource["lastModifiedTime"] = Ms(NowMs);
        return ApiResponse.Ok(TableJson(table));
    }

    /// <summary>
    /// The schema after a change and the DuckDB statements that make it: existing fields must stay with their type,
    /// new fields must not be REQUIRED, and REQUIRED → NULLABLE is the only mode change (BigQuery's rules).
    /// </summary>
    private static (List<BigQueryField> Fields, List<string> Statements) SchemaChanges(
        TableEntry table, List<BigQueryField> proposed, bool allowAddition, bool allowRelaxation)
    {
        var name = Warehouse.Name(table.ProjectId, table.DatasetId, table.TableId);
        var mismatch = $"Provided Schema does not match Table {table.ProjectId}:{table.DatasetId}.{table.TableId}.";
        var fields = new List<BigQueryField>();
        var statements = new List<string>();
        foreach (var existing in table.Fields)
        {
            var wanted = proposed.FirstOrDefault(f => f.Name.Equals(existing.Name, StringComparison.OrdinalIgnoreCase))
                ?? throw BigQueryException.Invalid($"{mismatch} Field {existing.Name} is missing in new schema");
            if (wanted.CanonicalType != existing.CanonicalType)
            {
                throw BigQueryException.Invalid($"{mismatch} Field {existing.Name} has changed type from {existing.CanonicalType} to {wanted.CanonicalType}");
            }

            if (wanted.Mode != existing.Mode)
            {
                if (!(existing.IsRequired && wanted.Mode == "NULLABLE" && allowRelaxation))
                {
                    throw BigQueryException.Invalid($"{mismatch} Field {existing.Name} has changed mode from {existing.Mode} to {wanted.Mode}");
                }

                statements.Add($"ALTER TABLE {name} ALTER COLUMN {Warehouse.Quote(existing.Name)} DROP NOT NULL");
            }

            fields.Add(existing with { Mode = wanted.Mode, Description = wanted.Description ?? existing.Description });
        }

        foreach (var added in proposed.Where(p => !table.Fields.Any(f => f.Name.Equals(p.Name, StringComparison.OrdinalIgnoreCase))))
        {
            if (!allowAddition)
            {
                throw BigQueryException.Invalid($"{mismatch} Cannot add fields (field: {added.Name})");
            }

            if (added.IsRequired)
            {
                throw BigQueryException.Invalid($"{mismatch} Cannot add required fields to an existing schema. (field: {added.Name})");
            }

            statements.Add($"ALTER TABLE {name} ADD COLUMN {Warehouse.Quote(added.Name)} {added.DuckDbType}");
            fields.Add(added);
        }

        return (fields, statements);
    }

    private ApiResponse DeleteTable(ApiRequest request)
    {
        var table = Table(request["projectId"], request["datasetId"], request["tableId"]);
        _warehouse.Execute($"DROP {(table.IsView ? "VIEW" : "TABLE")} {Warehouse.Name(table.ProjectId, table.DatasetId, table.TableId)}");
        Dataset(table.ProjectId, table.DatasetId).Tables.Remove(table.TableId);
        return ApiResponse.Empty();
    }
}
