namespace Aero.Actors.Jobs;

public sealed record JobHistory(string Job, IReadOnlyList<JobRunRecord> Runs);
