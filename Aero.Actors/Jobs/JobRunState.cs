namespace Aero.Actors.Jobs;

/// <summary>A run's state in <c>_aero_jobs</c>.</summary>
public enum JobRunState
{
    /// <summary>Claimed by a coordinator, whose lease says until when.</summary>
    Running,

    /// <summary>An attempt failed; the next one is due at its back-off's end.</summary>
    Retrying,

    Succeeded,

    /// <summary>Every attempt failed; the error is the last one's.</summary>
    Failed,

    Cancelled,
}
