namespace Aero.Actors.Jobs;

/// <summary>A run this scheduler is executing: how to stop it, and whether an operator did.</summary>
internal sealed class RunningJob(string runId, CancellationTokenSource cancel, CancellationTokenSource timeout) : IDisposable
{
    public string RunId { get; } = runId;

    public CancellationTokenSource Cancel { get; } = cancel;

    public CancellationTokenSource Timeout { get; } = timeout;

    public Task Completion { get; set; } = Task.CompletedTask;

    public volatile bool CancelledByOperator;

    public void Dispose()
    {
        Cancel.Dispose();
        Timeout.Dispose();
    }
}
