namespace Aero.Actors.Jobs;

/// <summary>
/// An engine that writes its jobs' output into the warehouse (DuckDB, PostgreSQL, BigQuery), where Looker reads it: the
/// scheduler creates each output and its view <c>{output}_latest</c> when it starts, before the job's first run.
/// </summary>
public interface IJobOutputs
{
    /// <summary>
    /// Creates <paramref name="job"/>'s output table when missing, empty, with the columns its SQL gives (bound for the
    /// period due at <paramref name="now"/>), and its view for Looker; returns the view's name.
    /// </summary>
    Task<string> EnsureOutputAsync(JobDefinition job, DateTimeOffset now, CancellationToken cancellation);
}
