using System.Text.Json.Nodes;

namespace Aero.FakeBigQuery;

/// <summary>A job: reference, configuration as sent, state, outcome, statistics and (query jobs) materialized results.</summary>
internal sealed class JobEntry(string projectId, string jobId, string location, JsonObject configuration, long creationTimeMs)
{
    public string ProjectId { get; } = projectId;

    public string JobId { get; } = jobId;

    public string Location { get; } = location;

    public JsonObject Configuration { get; } = configuration;

    public long CreationTimeMs { get; } = creationTimeMs;

    public long? StartTimeMs { get; set; }

    public long? EndTimeMs { get; set; }

    public string State { get; set; } = "PENDING";

    public JsonObject? ErrorResult { get; set; }

    public JsonArray Errors { get; } = [];

    /// <summary>"load" or "query" statistics, filled when the job ran.</summary>
    public JsonObject? Detail { get; set; }

    public QueryResult? Result { get; set; }

    /// <summary>jobs.get calls left that see the job RUNNING; then it runs.</summary>
    public int PollsLeft { get; set; }

    /// <summary>The work a job does when it runs (load the media, run the query).</summary>
    public Action<JobEntry>? Work { get; set; }

    public string Id => $"{ProjectId}:{Location}.{JobId}";

    public string Type => Configuration.ContainsKey("load") ? "LOAD" : Configuration.ContainsKey("query") ? "QUERY" : "UNKNOWN";
}
