using System.Collections.Concurrent;

namespace Aero.FakeBigQuery;

/// <summary>What the fake served, for tests that assert on traffic (retries, batching, idempotency).</summary>
public sealed class FakeBigQueryStats
{
    private readonly ConcurrentDictionary<string, long> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _rowsInserted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _rowsLoaded = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _loadJobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<DateTimeOffset>> _loadJobTimes = new(StringComparer.Ordinal);
    private long _conflicts;

    /// <summary>Requests per discovery method id, faulted ones included.</summary>
    public IReadOnlyDictionary<string, long> RequestsByMethod => new Dictionary<string, long>(_requests, StringComparer.Ordinal);

    /// <summary>409 answers served (duplicate dataset, table or job).</summary>
    public long ConflictsServed => Interlocked.Read(ref _conflicts);

    public long Requests(string methodId) => _requests.GetValueOrDefault(methodId);

    /// <summary>Rows stored by tabledata.insertAll (rows dropped by insertId dedupe are not counted).</summary>
    public long RowsInserted(string projectId, string datasetId, string tableId) =>
        _rowsInserted.GetValueOrDefault(TableKey(projectId, datasetId, tableId));

    /// <summary>Rows stored by successful load jobs.</summary>
    public long RowsLoaded(string projectId, string datasetId, string tableId) =>
        _rowsLoaded.GetValueOrDefault(TableKey(projectId, datasetId, tableId));

    /// <summary>Load jobs that targeted a table, failed ones included (BigQuery's 1,500/table/day quota counts them too).</summary>
    public long LoadJobs(string projectId, string datasetId, string tableId) =>
        _loadJobs.GetValueOrDefault(TableKey(projectId, datasetId, tableId));

    /// <summary>When each load job into a table was inserted (on the fake's clock), in order: the gaps between job starts.</summary>
    public IReadOnlyList<DateTimeOffset> LoadJobInsertTimes(string projectId, string datasetId, string tableId) =>
        _loadJobTimes.TryGetValue(TableKey(projectId, datasetId, tableId), out var times) ? [.. times] : [];

    internal static string TableKey(string projectId, string datasetId, string tableId) => $"{projectId}:{datasetId}.{tableId}";

    internal void CountRequest(string methodId) => _requests.AddOrUpdate(methodId, 1, (_, n) => n + 1);

    internal void CountConflict() => Interlocked.Increment(ref _conflicts);

    internal void CountRowsInserted(string tableKey, long rows) => _rowsInserted.AddOrUpdate(tableKey, rows, (_, n) => n + rows);

    internal void CountRowsLoaded(string tableKey, long rows) => _rowsLoaded.AddOrUpdate(tableKey, rows, (_, n) => n + rows);

    internal void CountLoadJob(string tableKey, DateTimeOffset at)
    {
        _loadJobs.AddOrUpdate(tableKey, 1, (_, n) => n + 1);
        _loadJobTimes.GetOrAdd(tableKey, _ => new ConcurrentQueue<DateTimeOffset>()).Enqueue(at);
    }
}
