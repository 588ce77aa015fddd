using System.Text.Json.Nodes;

namespace Aero.FakeBigQuery;

/// <summary>A dataset: its resource as stored, and its tables by id.</summary>
internal sealed class DatasetEntry(string projectId, string datasetId, string location, JsonObject resource)
{
    public string ProjectId { get; } = projectId;

    public string DatasetId { get; } = datasetId;

    public string Location { get; } = location;

    public JsonObject Resource { get; } = resource;

    public SortedDictionary<string, TableEntry> Tables { get; } = new(StringComparer.Ordinal);
}
