using Grpc.Core;
using Spark.Connect;

namespace Aero.FakeSparkConnect;

/// <summary>
/// One operation on the fake: its responses as the query produces them (kept for reattach, as Spark's retry buffer
/// does), its state, and which responses were sent on any stream, so specs can see what was sent twice.
/// </summary>
public sealed class FakeOperation : IDisposable
{
    private readonly object _gate = new();
    private readonly List<ExecutePlanResponse> _responses = [];
    private readonly List<string> _sent = [];
    private readonly CancellationTokenSource _interrupt = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal FakeOperation(string id, IReadOnlyList<string> tags, bool reattachable)
    {
        Id = id;
        Tags = tags;
        Reattachable = reattachable;
    }

    public string Id { get; }

    public IReadOnlyList<string> Tags { get; }

    public bool Reattachable { get; }

    public FakeOperationState State { get; private set; } = FakeOperationState.Running;

    /// <summary>Arrow batches the query produced.</summary>
    public int BatchesProduced { get; private set; }

    /// <summary>Completes when the query stops producing, however it stops.</summary>
    public Task Stopped => _stopped.Task;

    public bool Released { get; internal set; }

    /// <summary>Response ids in the order they were written to a stream, repeats included.</summary>
    public IReadOnlyList<string> SentResponseIds
    {
        get
        {
            lock (_gate)
            {
                return [.. _sent];
            }
        }
    }

    public void Dispose() => _interrupt.Dispose();

    internal RpcException? Error { get; private set; }

    internal CancellationToken InterruptToken => _interrupt.Token;

    internal void Append(ExecutePlanResponse response)
    {
        lock (_gate)
        {
            _responses.Add(response);
            if (response.ResponseTypeCase == ExecutePlanResponse.ResponseTypeOneofCase.ArrowBatch)
            {
                BatchesProduced++;
            }

            Signal();
        }
    }

    internal void Finish(FakeOperationState state, RpcException? error)
    {
        lock (_gate)
        {
            State = state;
            Error = error;
            Signal();
        }

        _stopped.TrySetResult();
    }

    /// <summary>Stops the query; true when it was still running.</summary>
    internal bool Interrupt()
    {
        lock (_gate)
        {
            if (State != FakeOperationState.Running)
            {
                return false;
            }
        }

        _interrupt.Cancel();
        return true;
    }

    /// <summary>Where a stream resumes: 0 without a cursor, after the cursor's response with one, -1 for an unknown cursor.</summary>
    internal int IndexAfter(string? cursor)
    {
        if (cursor is null)
        {
            return 0;
        }

        lock (_gate)
        {
            var index = _responses.FindIndex(response => response.ResponseId == cursor);
            return index < 0 ? -1 : index + 1;
        }
    }

    internal (IReadOnlyList<ExecutePlanResponse> Pending, bool Finished, Task Changed) Read(int from)
    {
        lock (_gate)
        {
            return ([.. _responses.Skip(from)], State != FakeOperationState.Running, _changed.Task);
        }
    }

    internal void RecordSent(string responseId)
    {
        lock (_gate)
        {
            _sent.Add(responseId);
        }
    }

    private void Signal()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }
}
