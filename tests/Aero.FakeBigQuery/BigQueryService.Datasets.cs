using System.Text.Json.Nodes;

namespace Aero.FakeBigQuery;

internal sealed partial class BigQueryService
{
    private static readonly string[] PatchableDatasetProperties =
        ["description", "friendlyName", "labels", "defaultTableExpirationMs", "defaultPartitionExpirationMs"];

    private ApiResponse InsertDataset(ApiRequest request)
    {
        var projectId = request["projectId"];
        var body = Clean(request.Body) as JsonObject ?? throw BigQueryException.Invalid("A Dataset resource is required.");
        var datasetId = body["datasetReference"]?["datasetId"]?.GetValue<string>() ?? throw BigQueryException.Invalid("Dataset ID is required.");
        CheckId(datasetId, "Dataset", 1024, allowDash: false);
        if (_datasets.ContainsKey((projectId, datasetId)))
        {
            throw BigQueryException.Duplicate($"Dataset {projectId}:{datasetId}");
        }

        var location = body["location"]?.GetValue<string>() ?? _options.DefaultLocation;
        var now = Ms(NowMs);
        body["datasetReference"] = new JsonObject { ["projectId"] = projectId, ["datasetId"] = datasetId };
        body["location"] = location;
        body["creationTime"] = now;
        body["lastModifiedTime"] = now;
        _warehouse.CreateSchema(projectId, datasetId);
        var dataset = new DatasetEntry(projectId, datasetId, location, body);
        _datasets[(projectId, datasetId)] = dataset;
        return ApiResponse.Ok(DatasetJson(dataset));
    }

    private JsonObject DatasetJson(DatasetEntry dataset)
    {
        var json = dataset.Resource.DeepClone().AsObject();
        json["kind"] = "bigquery#dataset";
        json["id"] = $"{dataset.ProjectId}:{dataset.DatasetId}";
        json["etag"] = Etag();
        json["selfLink"] = $"{Endpoint}bigquery/v2/projects/{Uri.EscapeDataString(dataset.ProjectId)}/datasets/{Uri.EscapeDataString(dataset.DatasetId)}";
        json["type"] = "DEFAULT";
        return json;
    }

    private ApiResponse ListDatasets(ApiRequest request)
    {
        var projectId = request["projectId"];
        var datasets = _datasets.Values.Where(d => d.ProjectId == projectId).OrderBy(d => d.DatasetId, StringComparer.Ordinal)
            .Select(d => (JsonNode)new JsonObject
            {
                ["kind"] = "bigquery#dataset",
                ["id"] = $"{d.ProjectId}:{d.DatasetId}",
                ["datasetReference"] = new JsonObject { ["projectId"] = d.ProjectId, ["datasetId"] = d.DatasetId },
                ["location"] = d.Location,
            }).ToList();
        var json = new JsonObject { ["kind"] = "bigquery#datasetList", ["etag"] = Etag() };
        if (datasets.Count > 0)
        {
            json["datasets"] = new JsonArray([.. datasets]);
        }

        return ApiResponse.Ok(json);
    }

    private ApiResponse PatchDataset(ApiRequest request)
    {
        var dataset = Dataset(request["projectId"], request["datasetId"]);
        var body = Clean(request.Body) as JsonObject ?? [];
        foreach (var name in PatchableDatasetProperties)
        {
            if (body[name] is { } value)
            {
                dataset.Resource[name] = value.DeepClone();
            }
            else if (request.MethodId == "bigquery.datasets.update")
            {
                dataset.Resource.Remove(name);
            }
        }

        dataset.Resource["lastModifiedTime"] = Ms(NowMs);
        return ApiResponse.Ok(DatasetJson(dataset));
    }

    private ApiResponse DeleteDataset(ApiRequest request)
    {
        var dataset = Dataset(request["projectId"], request["datasetId"]);
        if (dataset.Tables.Count > 0 && request.QueryValue("deleteContents") != "true")
        {
            throw new BigQueryException(400, "resourceInUse", $"Dataset {dataset.ProjectId}:{dataset.DatasetId} is still in use");
        }

        _warehouse.DropSchema(dataset.ProjectId, dataset.DatasetId);
        _datasets.Remove((dataset.ProjectId, dataset.DatasetId));
        return ApiResponse.Empty();
    }
}
