namespace Aero.Actors.Jobs;

/// <summary>Cancel a run; answered with <see cref="JobRunCancelled"/>.</summary>
public sealed record CancelJobRun(string RunId) : IJobCommand;
