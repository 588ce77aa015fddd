namespace Aero.Actors.Jobs;

/// <summary>A message for the job scheduler; the coordinator forwards every one to its <see cref="JobSchedulerActor"/>.</summary>
public interface IJobCommand;
