namespace Aero.FakeBigQuery;

/// <summary>Limits and behaviour of a <see cref="FakeBigQueryServer"/>; the defaults are BigQuery's documented ones.</summary>
public sealed record FakeBigQueryOptions
{
    /// <summary>How long an insertAll <c>insertId</c> suppresses a re-sent row (BigQuery: best effort, about a minute).</summary>
    public TimeSpan InsertIdDedupeWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>insertAll request size limit, counted on the (decompressed) JSON body.</summary>
    public long MaxInsertAllBytes { get; init; } = 10_485_760;

    public int MaxInsertAllRows { get; init; } = 50_000;

    /// <summary>Check every request and response body against the discovery document's schemas.</summary>
    public bool ValidateContract { get; init; } = true;

    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>The clock behind creation times, job statistics, insertId dedupe and the streaming buffer; tests pass their own.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Job and dataset location when the request names none (BigQuery's default is US).</summary>
    public string DefaultLocation { get; init; } = "US";

    /// <summary>
    /// How many <c>jobs.get</c> calls see a new job RUNNING before it runs and turns DONE. 0 runs jobs at insert.
    /// Lets a client's polling loop and <c>jobs.cancel</c> be exercised without timers.
    /// </summary>
    public int JobPollsUntilDone { get; init; }

    /// <summary>
    /// How long streamed rows stay in the streaming buffer (excluded from <c>numRows</c>, reported as
    /// <c>streamingBuffer</c>). Zero: streamed rows count at once. They are queryable either way, as in BigQuery.
    /// </summary>
    public TimeSpan StreamingBufferHold { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// How long after a schema change insertAll still refuses the new fields ("no such field"), as BigQuery's streaming
    /// backend learns of them only minutes later. Load jobs see them at once.
    /// </summary>
    public TimeSpan StreamingSchemaDelay { get; init; } = TimeSpan.FromMinutes(2);
}
