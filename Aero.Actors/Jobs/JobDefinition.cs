namespace Aero.Actors.Jobs;

/// <summary>One job of <c>aero.jobs.definitions</c>, read and checked by <see cref="JobsSettings"/>.</summary>
/// <param name="Sql">Its SQL per dialect (<see cref="JobSqlText.DefaultDialect"/> where the dialects agree); none for a flow.</param>
/// <param name="Window">For <see cref="JobPeriodKind.Interval"/>: how far back from the due time a run reaches; null for "since the previous due time".</param>
/// <param name="Output">The table its runs write; empty for a flow, whose output is the load's.</param>
/// <param name="Measures">The output's columns that add up across rows (counts, sums), which Looker sums; the others are dimensions.</param>
/// <param name="Retries">Attempts after the first before the run is recorded failed.</param>
public sealed record JobDefinition(
    string Name,
    JobSchedule Schedule,
    string Engine,
    IReadOnlyDictionary<string, string> Sql,
    JobPeriodKind Period,
    TimeSpan? Window,
    string Output,
    IReadOnlyList<string> Measures,
    int Retries,
    TimeSpan BackoffMin,
    TimeSpan BackoffMax,
    TimeSpan Timeout)
{
    /// <summary>For a job on the <c>flow</c> engine: the files it extracts; null for every other job.</summary>
    public FlowSource? Flow { get; init; }

    /// <summary>The jobs that run after each successful run of this one, in order, each as a run of its own.</summary>
    public IReadOnlyList<string> Then { get; init; } = [];

    /// <summary>The wait before attempt <paramref name="attempt"/> + 1: doubling from the minimum, capped at the maximum.</summary>
    public TimeSpan BackoffAfter(int attempt) =>
        TimeSpan.FromTicks(Math.Min(BackoffMax.Ticks, BackoffMin.Ticks * (long)Math.Pow(2, Math.Min(attempt - 1, 30))));

    /// <summary>The period of the run due at <paramref name="due"/>.</summary>
    public JobPeriod PeriodAt(DateTimeOffset due)
    {
        if (Period == JobPeriodKind.All)
        {
            return new JobPeriod(due, null, null);
        }

        var start = Window is { } window ? due - window : Schedule.LatestAtOrBefore(due.AddTicks(-1)) ?? due;
        return new JobPeriod(due, start, due);
    }
}
