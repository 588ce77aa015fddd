namespace Aero.Actors.Jobs;

/// <summary>Every job with its latest run (null for a job never run).</summary>
public sealed record JobsOverview(IReadOnlyList<(JobDefinition Job, JobRunRecord? Latest)> Jobs);
