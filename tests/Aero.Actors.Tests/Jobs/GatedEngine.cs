using Aero.Actors.Jobs;

namespace Aero.Actors.Tests.Jobs;

/// <summary>An engine that waits for the spec's word before running the real one, and counts what it ran.</summary>
internal sealed class GatedEngine(IJobEngine inner, bool open = true) : IJobEngine
{
    private readonly TaskCompletionSource _gate = NewSignal(open);
    private int _started;
    private int _committed;

    public string Name => inner.Name;

    public string Dialect => inner.Dialect;

    /// <summary>Runs that began, whether or not they got through.</summary>
    public int Started => Volatile.Read(ref _started);

    /// <summary>Runs whose results the warehouse committed.</summary>
    public int Committed => Volatile.Read(ref _committed);

    public TaskCompletionSource FirstStarted { get; } = NewSignal(false);

    public void Open() => _gate.TrySetResult();

    public async Task<long> RunAsync(JobRunRequest request, CancellationToken cancellation)
    {
        Interlocked.Increment(ref _started);
        FirstStarted.TrySetResult();
        await _gate.Task.WaitAsync(cancellation);
        var rows = await inner.RunAsync(request, cancellation);
        Interlocked.Increment(ref _committed);
        return rows;
    }

    private static TaskCompletionSource NewSignal(bool set)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (set)
        {
            signal.SetResult();
        }

        return signal;
    }
}
