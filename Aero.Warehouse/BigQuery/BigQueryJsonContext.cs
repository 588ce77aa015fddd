using System.Text.Json.Serialization;

namespace Aero.Warehouse.BigQuery;

/// <summary>Source-generated (reflection-free) JSON for the BigQuery resources; nulls are left out of requests.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ErrorEnvelope))]
[JsonSerializable(typeof(Dataset))]
[JsonSerializable(typeof(Table))]
[JsonSerializable(typeof(InsertAllResponse))]
[JsonSerializable(typeof(Job))]
[JsonSerializable(typeof(JobList))]
[JsonSerializable(typeof(JobCancelResponse))]
[JsonSerializable(typeof(QueryRequest))]
[JsonSerializable(typeof(QueryResponse))]
internal sealed partial class BigQueryJsonContext : JsonSerializerContext;
