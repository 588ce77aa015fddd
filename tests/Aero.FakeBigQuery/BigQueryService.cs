using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Aero.FakeBigQuery;

/// <summary>
/// BigQuery's resources and their documented semantics, behind the HTTP layer: one method per discovery method id.
/// Every call runs under one lock, so each request is atomic against the others (DuckDB gets one connection).
/// </summary>
internal sealed partial class BigQueryService : IDisposable
{
    private readonly FakeBigQueryOptions _options;
    private readonly FakeBigQueryStats _stats;
    private readonly Warehouse _warehouse = new();
    private readonly Dictionary<(string Project, string Dataset), DatasetEntry> _datasets = [];
    private readonly List<JobEntry> _jobs = [];
    private readonly Dictionary<string, JobEntry> _queryRequests = new(StringComparer.Ordinal);

    public BigQueryService(FakeBigQueryOptions options, FakeBigQueryStats stats)
    {
        _options = options;
        _stats = stats;
    }

    public Lock Gate { get; } = new();

    public Uri Endpoint { get; set; } = new("http://127.0.0.1/");

    private static CultureInfo Invariant => CultureInfo.InvariantCulture;

    private DateTimeOffset Now => _options.Clock.GetUtcNow();

    private long NowMs => Now.ToUnixTimeMilliseconds();

    public ApiResponse Handle(ApiRequest request)
    {
        lock (Gate)
        {
            return request.MethodId switch
            {
                "bigquery.datasets.insert" => InsertDataset(request),
                "bigquery.datasets.get" => ApiResponse.Ok(DatasetJson(Dataset(request["projectId"], request["datasetId"]))),
                "bigquery.datasets.list" => ListDatasets(request),
                "bigquery.datasets.patch" or "bigquery.datasets.update" => PatchDataset(request),
                "bigquery.datasets.delete" => DeleteDataset(request),
                "bigquery.tables.insert" => InsertTable(request),
                "bigquery.tables.get" => ApiResponse.Ok(TableJson(Table(request["projectId"], request["datasetId"], request["tableId"]))),
                "bigquery.tables.list" => ListTables(request),
                "bigquery.tables.patch" or "bigquery.tables.update" => PatchTable(request),
                "bigquery.tables.delete" => DeleteTable(request),
                "bigquery.tabledata.insertAll" => InsertAll(request),
                "bigquery.tabledata.list" => ListTableData(request),
                "bigquery.jobs.insert" => InsertJob(request),
                "bigquery.jobs.get" => ApiResponse.Ok(JobJson(Poll(FindJob(request["projectId"], request["jobId"], request.QueryValue("location"))))),
                "bigquery.jobs.list" => ListJobs(request),
                "bigquery.jobs.cancel" => CancelJob(request),
                "bigquery.jobs.delete" => DeleteJob(request),
                "bigquery.jobs.query" => Query(request),
                "bigquery.jobs.getQueryResults" => GetQueryResults(request),
                _ => throw new BigQueryException(501, "notImplemented", $"{request.MethodId} is not implemented by the fake BigQuery."),
            };
        }
    }

    /// <summary>Rows of a table as CLR values, in insertion order.</summary>
    public List<IReadOnlyDictionary<string, object?>> Rows(string projectId, string datasetId, string tableId)
    {
        lock (Gate)
        {
            var table = Table(projectId, datasetId, tableId);
            var rows = _warehouse.Read(SelectAll(table));
            return [.. rows.Select(row => (IReadOnlyDictionary<string, object?>)table.Fields
                .Select((field, i) => (field.Name, Value: BigQueryValues.ToClr(row[i], field)))
                .ToDictionary(p => p.Name, p => p.Value, StringComparer.OrdinalIgnoreCase))];
        }
    }

    public long RowCount(string projectId, string datasetId, string tableId)
    {
        lock (Gate)
        {
            var table = Table(projectId, datasetId, tableId);
            return _warehouse.Count(table.ProjectId, table.DatasetId, table.TableId);
        }
    }

    public void Dispose() => _warehouse.Dispose();

    private static string SelectAll(TableEntry table) =>
        $"SELECT {string.Join(", ", table.Fields.Select(f => Warehouse.Quote(f.Name)))} FROM {Warehouse.Name(table.ProjectId, table.DatasetId, table.TableId)}"
        + (table.IsView ? string.Empty : " ORDER BY rowid");

    private DatasetEntry Dataset(string projectId, string datasetId) =>
        _datasets.GetValueOrDefault((projectId, datasetId)) ?? throw BigQueryException.NotFound($"Dataset {projectId}:{datasetId}");

    private TableEntry Table(string projectId, string datasetId, string tableId)
    {
        var dataset = Dataset(projectId, datasetId);
        var (baseId, _) = SplitDecorator(tableId);
        return dataset.Tables.GetValueOrDefault(baseId) ?? throw BigQueryException.NotFound($"Table {projectId}:{datasetId}.{baseId}");
    }

    // "events$20250101" writes to partition 20250101 of "events"; only DAY-partitioned tables take a date decorator.
    private static (string TableId, string? Partition) SplitDecorator(string tableId)
    {
        var dollar = tableId.IndexOf('$', StringComparison.Ordinal);
        return dollar < 0 ? (tableId, null) : (tableId[..dollar], tableId[(dollar + 1)..]);
    }

    private static void CheckDecorator(TableEntry table, string? partition)
    {
        if (partition is null)
        {
            return;
        }

        var type = table.Resource["timePartitioning"]?["type"]?.GetValue<string>();
        if (type is null || !DateOnly.TryParseExact(partition, type switch { "HOUR" => "yyyyMMddHH", "MONTH" => "yyyyMM", "YEAR" => "yyyy", _ => "yyyyMMdd" }, Invariant, DateTimeStyles.None, out _)
            && !(type == "HOUR" && partition.Length == 10 && long.TryParse(partition, out _)))
        {
            throw BigQueryException.Invalid($"Invalid table ID \"{table.TableId}${partition}\": partition decorator does not match the table's partitioning.");
        }
    }

    private static void CheckId(string id, string what, int maxLength, bool allowDash)
    {
        if (id.Length == 0 || id.Length > maxLength || !id.All(c => char.IsAsciiLetterOrDigit(c) || c == '_' || (allowDash && c == '-')))
        {
            throw BigQueryException.Invalid(
                $"Invalid {what} ID \"{id}\". {what} IDs must be alphanumeric (plus underscores{(allowDash ? " and dashes" : string.Empty)}) and must be at most {maxLength} characters long.");
        }
    }

    private static JsonNode? Clean(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    if (value is not null)
                    {
                        copy[key] = Clean(value);
                    }
                }

                return copy;
            case JsonArray array:
                return new JsonArray([.. array.Where(v => v is not null).Select(Clean)]);
            default:
                return node?.DeepClone();
        }
    }

    private static string Ms(long ms) => ms.ToString(Invariant);

    private static string Etag() => Convert.ToBase64String(Guid.NewGuid().ToByteArray())[..22];

    private static JsonObject Error(string reason, string message, string? location = null)
    {
        var error = new JsonObject { ["reason"] = reason, ["message"] = message };
        if (location is not null)
        {
            error["location"] = location;
        }

        return error;
    }

    private static int PageStart(ApiRequest request)
    {
        var token = request.QueryValue("pageToken");
        if (token is not null)
        {
            return int.TryParse(token, NumberStyles.None, Invariant, out var start) ? start : throw BigQueryException.Invalid($"Invalid page token: {token}");
        }

        return int.TryParse(request.QueryValue("startIndex"), NumberStyles.None, Invariant, out var index) ? index : 0;
    }

    private static int PageSize(ApiRequest request, int fallback) =>
        int.TryParse(request.QueryValue("maxResults"), NumberStyles.None, Invariant, out var size) && size > 0 ? size : fallback;

    [GeneratedRegex(@"\b(?:TABLE|VIEW)\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?(?<name>`[^`]+`(?:\.`[^`]+`)*|[A-Za-z0-9_\-]+(?:\.[A-Za-z0-9_\-]+)*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DdlTarget();
}
