namespace Aero.Actors.Jobs;

/// <summary>A job's latest runs, newest first; answered with <see cref="JobHistory"/>.</summary>
public sealed record GetJobHistory(string Job, int Limit) : IJobCommand;
