using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Aero.FakeBigQuery;

internal sealed partial class BigQueryService
{
    private static readonly string[] LoadTableProperties = ["timePartitioning", "rangePartitioning", "clustering"];

    private ApiResponse InsertJob(ApiRequest request)
    {
        var projectId = request["projectId"];
        var body = Clean(request.Body) as JsonObject ?? throw BigQueryException.Invalid("A Job resource is required.");
        var reference = body["jobReference"] as JsonObject;
        var jobId = reference?["jobId"]?.GetValue<string>() ?? $"job_{Guid.NewGuid():N}";
        CheckId(jobId, "Job", 1024, allowDash: true);
        var location = reference?["location"]?.GetValue<string>() ?? _options.DefaultLocation;
        if (_jobs.Any(j => j.ProjectId == projectId && j.JobId == jobId && j.Location.Equals(location, StringComparison.OrdinalIgnoreCase)))
        {
            throw BigQueryException.Duplicate($"Job {projectId}:{location}.{jobId}");
        }

        var configuration = body["configuration"] as JsonObject ?? throw BigQueryException.Invalid("Job configuration is required.");
        var job = new JobEntry(projectId, jobId, location, configuration, NowMs);
        if (configuration["load"] is JsonObject load)
        {
            if (request.Media is null)
            {
                throw BigQueryException.Invalid("The fake BigQuery loads only uploaded data (uploadType=multipart or resumable), not sourceUris.");
            }

            configuration["jobType"] = "LOAD";
            var destination = Destination(load["destinationTable"], projectId);
            _stats.CountLoadJob(FakeBigQueryStats.TableKey(destination.ProjectId, destination.DatasetId, SplitDecorator(destination.TableId).TableId), Now);
            var media = request.Media;
            job.Work = j => RunLoad(j, load, destination, media);
        }
        else if (configuration["query"] is JsonObject query)
        {
            RequireStandardSql(query["useLegacySql"], "configuration.query.useLegacySql");
            configuration["jobType"] = "QUERY";
            job.Work = j => RunQueryJob(j, query);
        }
        else
        {
            throw BigQueryException.Invalid("The fake BigQuery runs load and query jobs only.");
        }

        _jobs.Add(job);
        Start(job);
        return ApiResponse.Ok(JobJson(job));
    }

    private void Start(JobEntry job)
    {
        job.StartTimeMs = NowMs;
        job.PollsLeft = _options.JobPollsUntilDone;
        if (job.PollsLeft > 0)
        {
            job.State = "RUNNING";
        }
        else
        {
            Complete(job);
        }
    }

    /// <summary>Runs every job still RUNNING (held by JobPollsUntilDone), as if its time had come.</summary>
    public void FinishRunningJobs()
    {
        lock (Gate)
        {
            foreach (var job in _jobs.Where(j => j.State == "RUNNING"))
            {
                job.PollsLeft = 0;
                Complete(job);
            }
        }
    }

    private JobEntry Poll(JobEntry job)
    {
        if (job.State != "DONE")
        {
            if (job.PollsLeft > 0)
            {
                job.PollsLeft--;
            }
            else
            {
                Complete(job);
            }
        }

        return job;
    }

    private void Complete(JobEntry job)
    {
        try
        {
            job.Work?.Invoke(job);
        }
        catch (BigQueryException e)
        {
            job.ErrorResult = Error(e.Reason, e.Message);
            job.Errors.Add(Error(e.Reason, e.Message));
        }

        job.Work = null;
        job.State = "DONE";
        job.EndTimeMs = NowMs;
    }

    private static (string ProjectId, string DatasetId, string TableId) Destination(JsonNode? reference, string defaultProject) => (
        reference?["projectId"]?.GetValue<string>() ?? defaultProject,
        reference?["datasetId"]?.GetValue<string>() ?? throw BigQueryException.Invalid("destinationTable.datasetId is required."),
        reference["tableId"]?.GetValue<string>() ?? throw BigQueryException.Invalid("destinationTable.tableId is required."));

    private static void RequireStandardSql(JsonNode? useLegacySql, string property)
    {
        if (useLegacySql?.GetValue<bool>() != false)
        {
            throw BigQueryException.InvalidQuery(
                $"Legacy SQL is not supported by the fake BigQuery: set {property} to false (BigQuery's default is true).");
        }
    }

    private JobEntry FindJob(string projectId, string jobId, string? location)
    {
        // Without a location BigQuery looks in its default (US); a job elsewhere is then "not found".
        var where = location ?? _options.DefaultLocation;
        return _jobs.FirstOrDefault(j => j.ProjectId == projectId && j.JobId == jobId && j.Location.Equals(where, StringComparison.OrdinalIgnoreCase))
            ?? throw BigQueryException.NotFound($"Job {projectId}:{where}.{jobId}");
    }

    private JsonObject JobJson(JobEntry job)
    {
        var status = new JsonObject { ["state"] = job.State };
        if (job.ErrorResult is not null)
        {
            status["errorResult"] = job.ErrorResult.DeepClone();
        }

        if (job.Errors.Count > 0)
        {
            status["errors"] = job.Errors.DeepClone();
        }

        var statistics = new JsonObject { ["creationTime"] = Ms(job.CreationTimeMs) };
        if (job.StartTimeMs is { } start)
        {
            statistics["startTime"] = Ms(start);
        }

        if (job.EndTimeMs is { } end)
        {
            statistics["endTime"] = Ms(end);
        }

        if (job.Detail is not null)
        {
            statistics[job.Type == "LOAD" ? "load" : "query"] = job.Detail.DeepClone();
            if (job.Type == "QUERY")
            {
                statistics["totalBytesProcessed"] = "0";
            }
        }

        return new JsonObject
        {
            ["kind"] = "bigquery#job",
            ["etag"] = Etag(),
            ["id"] = job.Id,
            ["selfLink"] = $"{Endpoint}bigquery/v2/projects/{Uri.EscapeDataString(job.ProjectId)}/jobs/{Uri.EscapeDataString(job.JobId)}?location={Uri.EscapeDataString(job.Location)}",
            ["user_email"] = "fake@aero.invalid",
            ["jobReference"] = new JsonObject { ["projectId"] = job.ProjectId, ["jobId"] = job.JobId, ["location"] = job.Location },
            ["configuration"] = job.Configuration.DeepClone(),
            ["status"] = status,
            ["statistics"] = statistics,
        };
    }

    private ApiResponse ListJobs(ApiRequest request)
    {
        var projectId = request["projectId"];
        var states = request.Query.TryGetValue("stateFilter", out var filter) && filter.Count > 0
            ? filter.Select(s => s!.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal)
            : null;
        var matching = _jobs.Where(j => j.ProjectId == projectId && (states is null || states.Contains(j.State)))
            .Reverse().ToList();
        var start = PageStart(request);
        var size = PageSize(request, 1000);
        var minimal = request.QueryValue("projection") is "minimal" or "MINIMAL";
        var jobs = matching.Skip(start).Take(size).Select(j =>
        {
            var full = JobJson(j);
            var item = new JsonObject
            {
                ["kind"] = "bigquery#job",
                ["id"] = j.Id,
                ["jobReference"] = full["jobReference"]!.DeepClone(),
                ["state"] = j.State,
                ["status"] = full["status"]!.DeepClone(),
                ["statistics"] = full["statistics"]!.DeepClone(),
                ["user_email"] = "fake@aero.invalid",
                ["configuration"] = minimal ? new JsonObject { ["jobType"] = j.Configuration["jobType"]!.DeepClone() } : full["configuration"]!.DeepClone(),
            };
            if (j.ErrorResult is not null)
            {
                item["errorResult"] = j.ErrorResult.DeepClone();
            }

            return (JsonNode)item;
        }).ToList();
        var json = new JsonObject { ["kind"] = "bigquery#jobList", ["etag"] = Etag(), ["jobs"] = new JsonArray([.. jobs]) };
        if (start + size < matching.Count)
        {
            json["nextPageToken"] = Ms(start + size);
        }

        return ApiResponse.Ok(json);
    }

    private ApiResponse CancelJob(ApiRequest request)
    {
        var job = FindJob(request["projectId"], request["jobId"], request.QueryValue("location"));
        if (job.State != "DONE")
        {
            // A running job that is cancelled does no work: nothing is loaded.
            job.Work = null;
            job.ErrorResult = Error("stopped", "Job execution was cancelled: User requested cancellation");
            job.Errors.Add(job.ErrorResult.DeepClone());
            job.State = "DONE";
            job.EndTimeMs = NowMs;
        }

        return ApiResponse.Ok(new JsonObject { ["kind"] = "bigquery#jobCancelResponse", ["job"] = JobJson(job) });
    }

    private ApiResponse DeleteJob(ApiRequest request)
    {
        var job = FindJob(request["projectId"], request["jobId"], request.QueryValue("location"));
        if (job.State != "DONE")
        {
            throw BigQueryException.Invalid($"Job {job.Id} is not done and cannot be deleted.");
        }

        _jobs.Remove(job);
        return ApiResponse.Empty();
    }

    /// <summary>
    /// A load job's work: parse every record, and only if the bad ones stay within maxBadRecords apply
    /// create/write disposition, schema update and rows in one transaction. Any failure leaves the table untouched.
    /// </summary>
    private void RunLoad(JobEntry job, JsonObject load, (string ProjectId, string DatasetId, string TableId) destination, byte[] media)
    {
        var dataset = Dataset(destination.ProjectId, destination.DatasetId);
        var (tableId, partition) = SplitDecorator(destination.TableId);
        var format = load["sourceFormat"]?.GetValue<string>() ?? "CSV";
        if (format is not ("NEWLINE_DELIMITED_JSON" or "CSV"))
        {
            throw BigQueryException.Invalid($"sourceFormat {format} is not supported by the fake BigQuery (NEWLINE_DELIMITED_JSON and CSV are).");
        }

        var write = load["writeDisposition"]?.GetValue<string>() ?? "WRITE_APPEND";
        var create = load["createDisposition"]?.GetValue<string>() ?? "CREATE_IF_NEEDED";
        var options = (load["schemaUpdateOptions"] as JsonArray)?.Select(o => o!.GetValue<string>()).ToHashSet(StringComparer.Ordinal) ?? [];
        var jobSchema = load["schema"] is JsonObject schema ? BigQueryField.ParseSchema(schema) : null;
        var name = $"{destination.ProjectId}:{destination.DatasetId}.{tableId}";
        dataset.Tables.TryGetValue(tableId, out var table);
        if (table is { IsView: true })
        {
            throw BigQueryException.Invalid($"Cannot load into a view: {name}");
        }

        List<BigQueryField> fields;
        var statements = new List<string>();
        var truncate = false;
        if (table is null)
        {
            if (create == "CREATE_NEVER")
            {
                throw BigQueryException.NotFound($"Table {name}");
            }

            fields = jobSchema ?? throw BigQueryException.Invalid("No schema specified on job or table.");
        }
        else
        {
            CheckDecorator(table, partition);
            var hasRows = _warehouse.Count(table.ProjectId, table.DatasetId, table.TableId) > 0;
            if (write == "WRITE_EMPTY" && hasRows)
            {
                throw BigQueryException.Duplicate($"Table {name}");
            }

            truncate = write is "WRITE_TRUNCATE" or "WRITE_TRUNCATE_DATA";
            fields = table.Fields;
            if (write == "WRITE_TRUNCATE" && jobSchema is not null)
            {
                fields = jobSchema;
            }
            else if (jobSchema is not null)
            {
                (fields, statements) = SchemaChanges(
                    table, jobSchema, options.Contains("ALLOW_FIELD_ADDITION"), options.Contains("ALLOW_FIELD_RELAXATION"));
            }
        }

        var ignoreUnknown = load["ignoreUnknownValues"]?.GetValue<bool>() ?? false;
        var maxBad = load["maxBadRecords"]?.GetValue<int>() ?? 0;
        var records = format == "CSV" ? CsvRecords(load, media, fields) : JsonRecords(media);
        var good = new List<string[]>();
        var bad = new List<JsonObject>();
        foreach (var (position, record, parseError) in records)
        {
            var errors = parseError is null ? null : new List<(string Location, string Message)> { (string.Empty, parseError) };
            if (errors is null && TryRowLiterals(fields, record!, ignoreUnknown, out var literals, out errors))
            {
                good.Add(literals);
                continue;
            }

            foreach (var (location, message) in errors!)
            {
                bad.Add(Error("invalid", $"Error while reading data, error message: {message} Row starting at position {position}", location.Length > 0 ? location : null));
            }
        }

        var badRecords = records.Count - good.Count;
        if (badRecords > maxBad)
        {
            foreach (var error in bad.Take(5))
            {
                job.Errors.Add(error);
            }

            job.Detail = LoadStatistics(media, 0, badRecords);
            throw BigQueryException.Invalid(
                $"Error while reading data, error message: {(format == "CSV" ? "CSV" : "JSON")} table encountered too many errors, giving up. Rows: {records.Count}; errors: {badRecords}. Please look into the errors[] collection for more details.");
        }

        foreach (var error in bad.Take(5))
        {
            job.Errors.Add(error);
        }

        _warehouse.Atomically(() =>
        {
            if (table is null)
            {
                table = CreateLoadTable(dataset, tableId, load, fields);
            }
            else if (write == "WRITE_TRUNCATE" && !ReferenceEquals(fields, table.Fields))
            {
                _warehouse.Execute($"DROP TABLE {Warehouse.Name(table.ProjectId, table.DatasetId, table.TableId)}");
                _warehouse.CreateTable(table.ProjectId, table.DatasetId, table.TableId, fields);
                truncate = false;
            }
            else
            {
                statements.ForEach(s => _warehouse.Execute(s));
            }

            if (truncate)
            {
                _warehouse.Execute($"DELETE FROM {Warehouse.Name(table.ProjectId, table.DatasetId, table.TableId)}");
            }

            _warehouse.Insert(table.ProjectId, table.DatasetId, table.TableId, [.. fields.Select(f => f.Name)], good);
        });
        table!.Fields = fields;
        table.Resource["lastModifiedTime"] = Ms(NowMs);
        _stats.CountRowsLoaded(table.Key, good.Count);
        job.Detail = LoadStatistics(media, good.Count, badRecords);
    }

    // A table a load job creates: the DuckDB table is made inside the load's transaction, the catalog entry with it.
    private TableEntry CreateLoadTable(DatasetEntry dataset, string tableId, JsonObject load, List<BigQueryField> fields)
    {
        var body = new JsonObject { ["schema"] = BigQueryField.SchemaJson(fields) };
        foreach (var name in LoadTableProperties)
        {
            if (load[name] is { } value)
            {
                body[name] = value.DeepClone();
            }
        }

        return CreateTable(dataset, tableId, body);
    }

    private static JsonObject LoadStatistics(byte[] media, long outputRows, long badRecords) => new()
    {
        ["inputFiles"] = "1",
        ["inputFileBytes"] = Ms(media.LongLength),
        ["outputRows"] = Ms(outputRows),
        ["outputBytes"] = Ms(outputRows == 0 ? 0 : media.LongLength),
        ["badRecords"] = Ms(badRecords),
    };

    private static List<(long Position, JsonObject? Record, string? Error)> JsonRecords(byte[] media)
    {
        var records = new List<(long, JsonObject?, string?)>();
        var text = Encoding.UTF8.GetString(media);
        long position = 0;
        foreach (var line in text.Split('\n'))
        {
            if (line.Trim().Length > 0)
            {
                try
                {
                    records.Add(JsonNode.Parse(line) is JsonObject obj
                        ? (position, obj, null)
                        : (position, null, "JSON parsing error: a row must be a JSON object."));
                }
                catch (JsonException e)
                {
                    records.Add((position, null, $"JSON parsing error in row starting at position {position}: {e.Message}"));
                }
            }

            position += Encoding.UTF8.GetByteCount(line) + 1;
        }

        return records;
    }

    // CSV columns map to the schema's fields by position; an empty field is NULL.
    private static List<(long Position, JsonObject? Record, string? Error)> CsvRecords(JsonObject load, byte[] media, List<BigQueryField> fields)
    {
        var delimiter = load["fieldDelimiter"]?.GetValue<string>() is { Length: > 0 } d ? (d == "\\t" ? '\t' : d[0]) : ',';
        var skip = int.TryParse(load["skipLeadingRows"]?.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
        var records = new List<(long, JsonObject?, string?)>();
        var rows = CsvReader.Parse(Encoding.UTF8.GetString(media), delimiter);
        foreach (var (position, values) in rows.Skip(skip))
        {
            if (values.Count != fields.Count)
            {
                records.Add((position, null, $"Too {(values.Count > fields.Count ? "many" : "few")} columns: expected {fields.Count} column(s) but got {values.Count} column(s)."));
                continue;
            }

            var record = new JsonObject();
            for (var i = 0; i < fields.Count; i++)
            {
                record[fields[i].Name] = values[i].Length == 0 ? null : values[i];
            }

            records.Add((position, record, null));
        }

        return records;
    }
}
