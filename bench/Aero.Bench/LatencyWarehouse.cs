using Aero.Kafka.Messages;
using Aero.Warehouse;

namespace Aero.Bench;

/// <summary>Passes writes through and records, per row, the time from the producer's timestamp to the committed write.</summary>
internal sealed class LatencyWarehouse(IWarehouse inner) : IWarehouse
{
    private readonly List<double> _milliseconds = [];
    private double _longestWrite;

    public string Description => inner.Description;

    public int Count
    {
        get
        {
            lock (_milliseconds)
            {
                return _milliseconds.Count;
            }
        }
    }

    public void Reset()
    {
        lock (_milliseconds)
        {
            _milliseconds.Clear();
            _longestWrite = 0;
        }
    }

    /// <summary>The longest write since the last reset, in milliseconds: what a stall of the warehouse's commits costs a batch.</summary>
    public double LongestWrite
    {
        get
        {
            lock (_milliseconds)
            {
                return _longestWrite;
            }
        }
    }

    public (double P50, double P99, double Max) Percentiles()
    {
        lock (_milliseconds)
        {
            return ResultsTable.Percentiles(_milliseconds);
        }
    }

    public Task<IReadOnlyDictionary<int, KafkaPosition>> StoredPositionsAsync(string clusterId, string topic, CancellationToken cancellationToken = default) =>
        inner.StoredPositionsAsync(clusterId, topic, cancellationToken);

    public async Task<WriteResult> WriteAsync(LoadBatch batch, CancellationToken cancellationToken = default)
    {
        var started = DateTime.UtcNow;
        var result = await inner.WriteAsync(batch, cancellationToken);
        var committed = DateTime.UtcNow;
        lock (_milliseconds)
        {
            _longestWrite = Math.Max(_longestWrite, (committed - started).TotalMilliseconds);
            _milliseconds.AddRange(batch.Rows.Select(row => row.Position.Timestamp).OfType<DateTime>().Select(produced => (committed - produced).TotalMilliseconds));
        }

        return result;
    }

    public Task<long> CountAsync(string table, CancellationToken cancellationToken = default) => inner.CountAsync(table, cancellationToken);

    public IReadOnlyList<Aero.Warehouse.Views.WarehouseView> Views => inner.Views;

    public Task<bool> HasTableAsync(string name, CancellationToken cancellationToken = default) => inner.HasTableAsync(name, cancellationToken);

    public Task<QueryResult> QueryAsync(string sql, CancellationToken cancellationToken = default) => inner.QueryAsync(sql, cancellationToken);

    // The inner warehouse belongs to the caller.
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
