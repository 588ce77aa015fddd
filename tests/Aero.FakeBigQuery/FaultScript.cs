namespace Aero.FakeBigQuery;

/// <summary>
/// Faults queued per discovery method id (<c>bigquery.tabledata.insertAll</c>, <c>bigquery.jobs.insert</c>, ...):
/// each request of that method takes the next one, in order. Resumable upload chunks (the PUTs after the
/// session was opened) use the id <c>bigquery.jobs.insert.upload</c>; the chunk that completes the upload creates the job.
/// </summary>
public sealed class FaultScript
{
    /// <summary>The id under which resumable upload chunks are counted and scripted.</summary>
    public const string UploadChunkMethodId = "bigquery.jobs.insert.upload";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<FakeFault>> _queues = new(StringComparer.Ordinal);

    public void Enqueue(string methodId, FakeFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        lock (_gate)
        {
            if (!_queues.TryGetValue(methodId, out var queue))
            {
                queue = new Queue<FakeFault>();
                _queues[methodId] = queue;
            }

            queue.Enqueue(fault);
        }
    }

    /// <summary>Faults not yet served for a method: lets a test assert its script was used up.</summary>
    public int Pending(string methodId)
    {
        lock (_gate)
        {
            return _queues.TryGetValue(methodId, out var queue) ? queue.Count : 0;
        }
    }

    internal FakeFault? TakeNext(string methodId)
    {
        lock (_gate)
        {
            return _queues.TryGetValue(methodId, out var queue) && queue.TryDequeue(out var fault) ? fault : null;
        }
    }
}
