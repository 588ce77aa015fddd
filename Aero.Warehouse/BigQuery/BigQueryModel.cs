using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aero.Warehouse.BigQuery;

// The slices of BigQuery v2's REST resources that Aero sends and reads (names as in the discovery document).
// int64 fields are JSON strings on the wire, so they are strings here too.

internal sealed record ErrorEnvelope(ErrorBody? Error);

internal sealed record ErrorBody(int? Code, string? Message, List<ErrorProto>? Errors, string? Status);

internal sealed record ErrorProto(string? Reason, string? Message, string? Location = null, string? Domain = null);

internal sealed record DatasetReference(string ProjectId, string DatasetId);

internal sealed record Dataset(DatasetReference DatasetReference, string? Location);

internal sealed record TableReference(string ProjectId, string DatasetId, string TableId);

internal sealed record TableFieldSchema
{
    [JsonConstructor]
    public TableFieldSchema()
    {
    }

    public TableFieldSchema(string name, string type, string? mode = null, string? description = null)
    {
        Name = name;
        Type = type;
        Mode = mode;
        Description = description;
    }

    public string Name { get; init; } = string.Empty;

    public string Type { get; init; } = string.Empty;

    public string? Mode { get; init; }

    public string? Description { get; init; }

    // What else a column has (nested fields, policy tags, ...): a schema patch sends every column back, so it must
    // send them back as they were. (Generated JSON code sets extension data only through a setter.)
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}

internal sealed record TableSchema(List<TableFieldSchema> Fields);

internal sealed record TimePartitioning(string Type, string? Field);

internal sealed record Clustering(List<string> Fields);

internal sealed record ViewDefinition(string Query, bool UseLegacySql);

internal sealed record Table(
    TableReference TableReference,
    TableSchema? Schema = null,
    TimePartitioning? TimePartitioning = null,
    Clustering? Clustering = null,
    ViewDefinition? View = null,
    string? Description = null,
    string? Type = null,
    string? NumRows = null);

internal sealed record InsertError(long Index, List<ErrorProto>? Errors);

internal sealed record InsertAllResponse(List<InsertError>? InsertErrors);

internal sealed record JobReference(string ProjectId, string JobId, string? Location);

internal sealed record JobConfigurationLoad(
    TableReference DestinationTable,
    string SourceFormat,
    string WriteDisposition,
    string CreateDisposition,
    bool IgnoreUnknownValues,
    int MaxBadRecords);

internal sealed record JobConfigurationQuery(string Query, bool UseLegacySql);

internal sealed record JobConfiguration(JobConfigurationLoad? Load, Dictionary<string, string>? Labels = null, JobConfigurationQuery? Query = null);

internal sealed record JobStatus(string? State, ErrorProto? ErrorResult, List<ErrorProto>? Errors);

internal sealed record JobStatisticsLoad(string? OutputRows, string? BadRecords);

internal sealed record JobStatistics(JobStatisticsLoad? Load);

internal sealed record Job(JobReference JobReference, JobConfiguration? Configuration, JobStatus? Status = null, JobStatistics? Statistics = null);

internal sealed record JobCancelResponse(Job? Job);

internal sealed record JobListEntry(JobReference? JobReference, string? State);

internal sealed record JobList(List<JobListEntry>? Jobs, string? NextPageToken);

internal sealed record QueryParameterType(string Type, QueryParameterType? ArrayType = null);

internal sealed record QueryParameterValue(string? Value, List<QueryParameterValue>? ArrayValues = null);

internal sealed record QueryParameter(string Name, QueryParameterType ParameterType, QueryParameterValue ParameterValue);

internal sealed record QueryRequest(
    string Query,
    bool UseLegacySql,
    string? Location,
    long? TimeoutMs,
    string? ParameterMode,
    List<QueryParameter>? QueryParameters,
    DatasetReference? DefaultDataset,
    int? MaxResults = null,
    string? RequestId = null);

internal sealed record TableCell(JsonElement V);

internal sealed record TableRow(List<TableCell>? F);

internal sealed record QueryResponse(
    bool? JobComplete,
    JobReference? JobReference,
    TableSchema? Schema,
    List<TableRow>? Rows,
    string? TotalRows,
    string? PageToken,
    List<ErrorProto>? Errors,
    string? NumDmlAffectedRows = null);
