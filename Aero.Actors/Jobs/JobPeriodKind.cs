namespace Aero.Actors.Jobs;

/// <summary>What one run of a job covers (<c>parameters.period</c>).</summary>
public enum JobPeriodKind
{
    /// <summary>Every flight: each run replaces the job's whole output (its rows keyed <c>all</c>).</summary>
    All,

    /// <summary>The event-time interval ending at the run's due time (<c>parameters.window</c>), keyed by that interval.</summary>
    Interval,
}
