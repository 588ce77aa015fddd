namespace Aero.Actors.Jobs;

/// <summary>
/// Runs a job's SQL for one period and replaces that period's rows in the job's output table atomically, so a retried
/// or repeated run never doubles rows. DuckDB and PostgreSQL run it on the warehouse; another engine (BigQuery, Spark)
/// plugs in by implementing this. A failure is an exception whose message is the engine's; cancellation stops the
/// engine's work and ends in <see cref="OperationCanceledException"/>.
/// </summary>
public interface IJobEngine
{
    /// <summary>The name a job's <c>engine</c> key gives.</summary>
    string Name { get; }

    /// <summary>Which of a job's SQL texts it runs (<see cref="JobSqlText.Dialects"/>).</summary>
    string Dialect { get; }

    /// <summary>Runs <paramref name="request"/>; returns the rows written for its period.</summary>
    Task<long> RunAsync(JobRunRequest request, CancellationToken cancellation);
}
