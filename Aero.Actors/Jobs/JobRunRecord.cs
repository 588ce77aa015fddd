namespace Aero.Actors.Jobs;

/// <summary>One row of <c>_aero_jobs</c>: a run of a job for one period.</summary>
public sealed record JobRunRecord(
    string RunId,
    string Job,
    string Period,
    DateTimeOffset Due,
    string Engine,
    JobRunState State,
    int Attempt,
    DateTimeOffset? Started,
    DateTimeOffset? Ended,
    long? RowsWritten,
    string? Error);
