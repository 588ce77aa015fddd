namespace Aero.FakeBigQuery;

/// <summary>An open resumable upload session: the Job sent when it was opened and the bytes received so far.</summary>
internal sealed class ResumableUpload(string projectId, string jobJson)
{
    public string ProjectId { get; } = projectId;

    public string JobJson { get; } = jobJson;

    public MemoryStream Received { get; } = new();

    /// <summary>The Job answer once the last byte arrived and the job was created; re-sent on a repeated final PUT.</summary>
    public string? CompletedResponse { get; set; }
}
