using Akka.Event;

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

    /// <summary>Called when a scheduler (one per coordinator) starts, before any run: an engine with a session opens it here.</summary>
    Task OpenAsync(ILoggingAdapter log, CancellationToken cancellation) => Task.CompletedTask;

    /// <summary>Called when that scheduler stops, after its runs ended: an engine with a session ends it here.</summary>
    Task CloseAsync(CancellationToken cancellation) => Task.CompletedTask;
}
