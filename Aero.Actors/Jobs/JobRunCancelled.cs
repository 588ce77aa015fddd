namespace Aero.Actors.Jobs;

/// <param name="Cancelled">False when the run was neither running nor retrying.</param>
public sealed record JobRunCancelled(string RunId, bool Cancelled, JobRunRecord? Run);
