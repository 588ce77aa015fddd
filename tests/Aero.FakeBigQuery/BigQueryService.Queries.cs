using System.Data.Common;
using System.Globalization;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;

namespace Aero.FakeBigQuery;

internal sealed partial class BigQueryService
{
    private const int DefaultPageRows = 100_000;

    private static readonly Func<string?, int, string> NoParameters = (name, _) =>
        throw BigQueryException.InvalidQuery($"Query parameter '{name}' not found");

    private static readonly string[] QueryRequestProperties = ["defaultDataset", "queryParameters", "parameterMode"];

    private ApiResponse Query(ApiRequest request)
    {
        var projectId = request["projectId"];
        var body = Clean(request.Body) as JsonObject ?? throw BigQueryException.Invalid("A QueryRequest is required.");
        RequireStandardSql(body["useLegacySql"], "useLegacySql");
        var requestId = body["requestId"]?.GetValue<string>();
        if (requestId is not null && _queryRequests.TryGetValue(requestId, out var earlier) && Now.ToUnixTimeMilliseconds() - earlier.CreationTimeMs < 15 * 60_000)
        {
            // The same request again finds the same job, and its outcome: a failed one fails again, without running.
            ThrowIfFailed(earlier);
            return ApiResponse.Ok(QueryResponse(earlier, request, incomplete: request.ReportIncomplete));
        }

        var query = new JsonObject { ["query"] = body["query"]?.DeepClone(), ["useLegacySql"] = false };
        foreach (var name in QueryRequestProperties)
        {
            if (body[name] is { } value)
            {
                query[name] = value.DeepClone();
            }
        }

        var configuration = new JsonObject { ["query"] = query, ["jobType"] = "QUERY" };
        var location = body["location"]?.GetValue<string>() ?? _options.DefaultLocation;
        var job = new JobEntry(projectId, $"job_{Guid.NewGuid():N}", location, configuration, NowMs) { Work = j => RunQueryJob(j, query) };
        _jobs.Add(job);
        if (requestId is not null)
        {
            _queryRequests[requestId] = job;
        }

        Start(job);
        ThrowIfFailed(job);

        return ApiResponse.Ok(QueryResponse(job, request, incomplete: request.ReportIncomplete));
    }

    private ApiResponse GetQueryResults(ApiRequest request)
    {
        var job = Poll(FindJob(request["projectId"], request["jobId"], request.QueryValue("location")));
        if (job.Type != "QUERY")
        {
            throw BigQueryException.Invalid($"Job {job.Id} is not a query job.");
        }

        ThrowIfFailed(job);
        var json = QueryResponse(job, request, incomplete: false);
        json["kind"] = "bigquery#getQueryResultsResponse";
        json["etag"] = Etag();
        return ApiResponse.Ok(json);
    }

    /// <summary>jobs.query and getQueryResults report a failed query as an HTTP error, unlike jobs.insert and jobs.get.</summary>
    private static void ThrowIfFailed(JobEntry job)
    {
        if (job.ErrorResult is { } error && job.State == "DONE")
        {
            var reason = error["reason"]!.GetValue<string>();
            throw new BigQueryException(reason == "notFound" ? 404 : 400, reason, error["message"]!.GetValue<string>());
        }
    }

    private static JsonObject QueryResponse(JobEntry job, ApiRequest request, bool incomplete)
    {
        var json = new JsonObject
        {
            ["kind"] = "bigquery#queryResponse",
            ["jobReference"] = new JsonObject { ["projectId"] = job.ProjectId, ["jobId"] = job.JobId, ["location"] = job.Location },
            ["jobComplete"] = job.State == "DONE" && !incomplete,
        };
        if (job.State != "DONE" || incomplete || job.Result is not { } result)
        {
            return json;
        }

        var start = PageStart(request);
        var size = PageSize(request, (request.Body?["maxResults"]?.GetValue<int>()) ?? DefaultPageRows);
        var int64Timestamps = request.QueryValue("formatOptions.useInt64Timestamp") == "true"
            || request.Body?["formatOptions"]?["useInt64Timestamp"]?.GetValue<bool>() == true;
        json["totalBytesProcessed"] = "0";
        json["cacheHit"] = false;
        if (result.DmlAffectedRows is { } affected)
        {
            json["numDmlAffectedRows"] = Ms(affected);
        }

        // A script's rows are its last statement's.
        if (result.StatementType == "SELECT" || result is { StatementType: "SCRIPT", Fields.Count: > 0 })
        {
            json["schema"] = BigQueryField.SchemaJson(result.Fields);
            json["totalRows"] = Ms(result.Rows.Count);
            if (start < result.Rows.Count)
            {
                json["rows"] = result.RowsJson(start, size, int64Timestamps);
            }

            if (start + size < result.Rows.Count)
            {
                json["pageToken"] = Ms(start + size);
            }
        }

        return json;
    }

    /// <summary>
    /// A query job's work: run the statement in DuckDB and keep the result (rows, DML count or DDL outcome). Several
    /// statements are a script (<see cref="RunScript"/>).
    /// </summary>
    private void RunQueryJob(JobEntry job, JsonObject query)
    {
        var sql = query["query"]?.GetValue<string>() ?? throw BigQueryException.Invalid("A query is required.");
        var defaultDataset = query["defaultDataset"];
        var parameters = query["queryParameters"] as JsonArray ?? [];
        var statements = SqlTranslator.Statements(sql);
        UseProject(job.ProjectId, defaultDataset);
        var result = statements.Count > 1 || (statements.Count == 1 && SqlTranslator.LeadingWords(statements[0], 1) is ["BEGIN" or "COMMIT" or "ROLLBACK"])
            ? RunScript(job.ProjectId, defaultDataset, parameters, statements)
            : RunStatement(job.ProjectId, defaultDataset, parameters, statements.Count == 1 ? statements[0] : sql);
        job.Result = result;
        var detail = new JsonObject { ["statementType"] = result.StatementType, ["totalBytesProcessed"] = "0", ["cacheHit"] = false };
        if (result.DmlAffectedRows is { } count)
        {
            detail["numDmlAffectedRows"] = Ms(count);
        }

        if (result.DdlOperation is not null)
        {
            detail["ddlOperationPerformed"] = result.DdlOperation;
            detail["ddlTargetTable"] = result.DdlTarget;
        }

        job.Detail = detail;
    }

    private QueryResult RunStatement(string projectId, JsonNode? defaultDataset, JsonArray parameters, string sql)
    {
        var translated = SqlTranslator.Translate(sql, (name, index) => ParameterLiteral(parameters, name, index));
        var words = SqlTranslator.LeadingWords(sql, 6);
        var first = words.FirstOrDefault() ?? throw BigQueryException.InvalidQuery("Syntax error: Unexpected end of script");
        switch (first)
        {
            case "SELECT" or "WITH" or "VALUES" or "FROM":
                var columns = RunDuckDb(() => _warehouse.Describe(translated));
                var rows = RunDuckDb(() => _warehouse.Read(translated));
                return new QueryResult([.. columns.Select(c => BigQueryField.FromDuckDb(c.Name, c.Type, nullable: true))], rows, "SELECT", null, null, null);
            case "INSERT" or "UPDATE" or "DELETE" or "MERGE":
                var affected = RunDuckDb(() => _warehouse.Execute(translated));
                return new QueryResult([], [], first, affected, null, null);
            case "CREATE" or "DROP" or "ALTER" or "TRUNCATE":
                return RunDdl(projectId, defaultDataset, sql, translated, words);
            default:
                throw BigQueryException.InvalidQuery($"Statement {first} is not supported by the fake BigQuery.");
        }
    }

    /// <summary>
    /// A script (statementType SCRIPT): its statements in order; its result is the last statement's rows. Between
    /// BEGIN TRANSACTION and COMMIT TRANSACTION the statements are one transaction, as BigQuery documents them: a
    /// failing statement fails the script and rolls the transaction back, a script that ends before COMMIT or ROLLBACK
    /// rolls it back, transactions do not nest, and DDL on tables or views (permanent entities) is refused inside one.
    /// </summary>
    private QueryResult RunScript(string projectId, JsonNode? defaultDataset, JsonArray parameters, List<string> statements)
    {
        DbTransaction? transaction = null;
        QueryResult? last = null;
        try
        {
            foreach (var statement in statements)
            {
                var words = SqlTranslator.LeadingWords(statement, 2);
                switch (words)
                {
                    case ["BEGIN", "TRANSACTION"]:
                        transaction = transaction is null
                            ? _warehouse.BeginTransaction()
                            : throw BigQueryException.InvalidQuery("Nested transactions are not supported: a transaction is already active.");
                        last = null;
                        continue;
                    case ["COMMIT" or "ROLLBACK", ..]:
                        if (transaction is null)
                        {
                            throw BigQueryException.InvalidQuery($"{words[0]} TRANSACTION without an active transaction.");
                        }

                        if (words[0] == "COMMIT")
                        {
                            transaction.Commit();
                        }
                        else
                        {
                            transaction.Rollback();
                        }

                        transaction.Dispose();
                        transaction = null;
                        last = null;
                        continue;
                    case ["CREATE" or "DROP" or "ALTER", ..] when transaction is not null:
                        // BigQuery allows DDL on temporary entities only; the fake has none.
                        throw BigQueryException.InvalidQuery(
                            $"{words[0]} of a permanent table or view is not supported inside a transaction: run it before BEGIN TRANSACTION.");
                }

                last = RunStatement(projectId, defaultDataset, parameters, statement);
            }
        }
        finally
        {
            // Failed, or ended without COMMIT or ROLLBACK: nothing of the transaction stays.
            transaction?.Rollback();
            transaction?.Dispose();
        }

        return last is null ? new QueryResult([], [], "SCRIPT", null, null, null) : new QueryResult(last.Fields, last.Rows, "SCRIPT", null, null, null);
    }

    private QueryResult RunDdl(string projectId, JsonNode? defaultDataset, string sql, string translated, string[] words)
    {
        var replace = words.Length > 2 && words[1] == "OR" && words[2] == "REPLACE";
        var objectWord = words.FirstOrDefault(w => w is "TABLE" or "VIEW" or "SCHEMA") ?? "TABLE";
        if (objectWord == "SCHEMA")
        {
            throw BigQueryException.InvalidQuery("CREATE/DROP SCHEMA is not supported by the fake BigQuery: use datasets.insert/delete.");
        }

        var statementType = $"{(words[0] == "TRUNCATE" ? "TRUNCATE" : words[0])}_{objectWord}";
        var target = DdlTarget().Match(sql);
        if (!target.Success)
        {
            throw BigQueryException.InvalidQuery("Syntax error: expected a table or view name.");
        }

        var parts = target.Groups["name"].Value.Replace("`", string.Empty, StringComparison.Ordinal).Split('.');
        var (p, d, t) = parts.Length switch
        {
            3 => (parts[0], parts[1], parts[2]),
            2 => (projectId, parts[0], parts[1]),
            _ => (defaultDataset?["projectId"]?.GetValue<string>() ?? projectId,
                  defaultDataset?["datasetId"]?.GetValue<string>() ?? throw BigQueryException.InvalidQuery($"Table \"{parts[0]}\" must be qualified with a dataset (e.g. dataset.table)."),
                  parts[0]),
        };
        var dataset = Dataset(p, d);
        var existed = dataset.Tables.ContainsKey(t);
        RunDuckDb(() => _warehouse.Execute(translated));
        SyncCatalog(dataset, sql);
        var operation = words[0] switch
        {
            "DROP" => existed ? "DROP" : "SKIP",
            "CREATE" when existed => replace ? "REPLACE" : "SKIP",
            "CREATE" => "CREATE",
            _ => "ALTER",
        };
        return new QueryResult([], [], statementType, null, operation,
            new JsonObject { ["projectId"] = p, ["datasetId"] = d, ["tableId"] = t });
    }

    /// <summary>After DDL, the catalog follows DuckDB: new tables and views appear, dropped ones go, changed ones get their new columns.</summary>
    private void SyncCatalog(DatasetEntry dataset, string sql)
    {
        var objects = _warehouse.Objects(dataset.ProjectId, dataset.DatasetId);
        foreach (var gone in dataset.Tables.Keys.Where(k => !objects.ContainsKey(k)).ToList())
        {
            dataset.Tables.Remove(gone);
        }

        foreach (var (name, (isView, columns)) in objects)
        {
            var fields = columns.Select(c => BigQueryField.FromDuckDb(c.Name, c.Type, c.Nullable)).ToList();
            if (dataset.Tables.TryGetValue(name, out var known) && known.IsView == isView
                && known.Fields.Select(f => (f.Name, f.CanonicalType, f.Mode)).SequenceEqual(fields.Select(f => (f.Name, f.CanonicalType, f.Mode))))
            {
                continue;
            }

            var now = Ms(NowMs);
            var resource = new JsonObject
            {
                ["tableReference"] = new JsonObject { ["projectId"] = dataset.ProjectId, ["datasetId"] = dataset.DatasetId, ["tableId"] = name },
                ["creationTime"] = now,
                ["lastModifiedTime"] = now,
            };
            if (isView)
            {
                var body = sql.IndexOf(" AS ", StringComparison.OrdinalIgnoreCase);
                resource["view"] = new JsonObject { ["query"] = body < 0 ? sql : sql[(body + 4)..].Trim(), ["useLegacySql"] = false };
            }

            dataset.Tables[name] = new TableEntry(dataset.ProjectId, dataset.DatasetId, name, resource, fields, isView);
        }
    }

    private void UseProject(string projectId, JsonNode? defaultDataset)
    {
        _warehouse.EnsureProject(projectId);
        if (defaultDataset?["datasetId"]?.GetValue<string>() is { } datasetId)
        {
            var project = defaultDataset["projectId"]?.GetValue<string>() ?? projectId;
            Dataset(project, datasetId);
            _warehouse.Execute($"USE {Warehouse.Quote(project)}.{Warehouse.Quote(datasetId)}");
        }
        else
        {
            _warehouse.Execute($"USE {Warehouse.Quote(projectId)}");
        }
    }

    // Query parameters become SQL literals, converted by the same rules as row values.
    private static string ParameterLiteral(JsonArray parameters, string? name, int index)
    {
        var parameter = name is null
            ? (index < parameters.Count ? parameters[index] : null)
            : parameters.FirstOrDefault(p => string.Equals(p?["name"]?.GetValue<string>(), name, StringComparison.OrdinalIgnoreCase));
        if (parameter is null)
        {
            throw BigQueryException.InvalidQuery(name is null ? $"Positional query parameter {index + 1} not found" : $"Query parameter '{name}' not found");
        }

        var type = parameter["parameterType"]?["type"]?.GetValue<string>() ?? "STRING";
        var value = parameter["parameterValue"];
        BigQueryField field;
        JsonNode? json;
        if (type == "ARRAY")
        {
            field = new BigQueryField("param", parameter["parameterType"]?["arrayType"]?["type"]?.GetValue<string>() ?? "STRING", "REPEATED", null);
            json = new JsonArray([.. (value?["arrayValues"] as JsonArray ?? []).Select(v => v?["value"]?.DeepClone())]);
        }
        else
        {
            field = new BigQueryField("param", type, "NULLABLE", null);
            json = value?["value"]?.DeepClone();
        }

        try
        {
            return BigQueryValues.TryToSqlLiteral(field, json, out var literal, out var error)
                ? literal
                : throw BigQueryException.InvalidQuery($"Invalid query parameter {name ?? (index + 1).ToString(CultureInfo.InvariantCulture)}: {error}");
        }
        catch (KeyNotFoundException)
        {
            throw BigQueryException.InvalidQuery($"Query parameter type {type} is not supported by the fake BigQuery.");
        }
    }

    /// <summary>DuckDB's errors as BigQuery's: a missing table is notFound, anything else invalidQuery.</summary>
    private static T RunDuckDb<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (DuckDBException e)
        {
            var message = e.Message.Split('\n')[0];
            if (message.StartsWith("Catalog Error: Table with name", StringComparison.Ordinal) && message.Contains("does not exist", StringComparison.Ordinal))
            {
                throw BigQueryException.NotFound(message["Catalog Error: ".Length..]);
            }

            throw BigQueryException.InvalidQuery(message);
        }
    }
}
