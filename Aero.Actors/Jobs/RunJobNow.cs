namespace Aero.Actors.Jobs;

/// <summary>Run a job for the period due at <paramref name="Due"/> (now when null); answered with its <see cref="JobRunRecord"/>.</summary>
public sealed record RunJobNow(string Job, DateTimeOffset? Due) : IJobCommand;
