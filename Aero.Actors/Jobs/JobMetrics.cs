using System.Diagnostics.Metrics;

namespace Aero.Actors.Jobs;

/// <summary>
/// The job scheduler's metrics (meter "Aero.Jobs"), per job (tag <c>job</c>), exported by the node like the others: a run's
/// attempts started, its outcomes (succeeded, retried after a failed attempt, failed after its last, cancelled by an
/// operator), how long an attempt took (tag <c>outcome</c>) and the rows it wrote.
/// </summary>
public static class JobMetrics
{
    public const string MeterName = "Aero.Jobs";

    // Jobs take seconds (a small warehouse) to the 30 minutes of their default timeout.
    private static readonly IReadOnlyList<double> DurationBuckets = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 1800, 3600];

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> Started = Meter.CreateCounter<long>("aero_jobs_runs_started", description: "Job run attempts started on their engine");
    public static readonly Counter<long> Succeeded = Meter.CreateCounter<long>("aero_jobs_runs_succeeded", description: "Job runs whose engine finished and wrote their output");
    public static readonly Counter<long> Retried = Meter.CreateCounter<long>("aero_jobs_runs_retried", description: "Job run attempts that failed or were interrupted and run again later");
    public static readonly Counter<long> Failed = Meter.CreateCounter<long>("aero_jobs_runs_failed", description: "Job runs recorded failed after their last attempt");
    public static readonly Counter<long> Cancelled = Meter.CreateCounter<long>("aero_jobs_runs_cancelled", description: "Job runs cancelled by an operator");
    public static readonly Counter<long> RowsWritten = Meter.CreateCounter<long>("aero_jobs_rows_written", description: "Rows job runs wrote to their output tables");

    public static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "aero_jobs_run_duration_seconds",
        unit: "s",
        description: "How long a job run attempt took on its engine, by outcome",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    /// <summary>Every counter of <paramref name="job"/> at zero, so its series exist (and rates work) before its first run.</summary>
    public static void Declare(string job)
    {
        var tag = Job(job);
        foreach (var counter in (Counter<long>[])[Started, Succeeded, Retried, Failed, Cancelled, RowsWritten])
        {
            counter.Add(0, tag);
        }
    }

    public static KeyValuePair<string, object?> Job(string job) => new("job", job);

    public static void Observe(string job, string outcome, TimeSpan elapsed) =>
        Duration.Record(elapsed.TotalSeconds, Job(job), new KeyValuePair<string, object?>("outcome", outcome));
}
