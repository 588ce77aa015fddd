using Aero.Warehouse.Windows;

namespace Aero.Warehouse.DuckDb;

/// <summary>
/// The windows' side of the DuckDB warehouse: a group's partials and its partitions' event times go in with its rows
/// and offsets (<see cref="WriteWindows"/>, called from the write transaction), and the coordinator reads and finalizes
/// under the same writer gate, so no load adds a partial while a window is being finalized.
/// </summary>
public sealed partial class DuckDbWarehouse : IWindowStore
{
    private static readonly WindowStoreSql Windows = new("", (later, earlier) => $"(epoch_ms({later}) - epoch_ms({earlier}))", lockPartials: null);

    public Task RegisterPartitionsAsync(string clusterId, string topic, IReadOnlyCollection<int> partitions, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Windows.RegisterPartitions(_connection, clusterId, topic, partitions, DateTime.UtcNow);
        }

        return Task.CompletedTask;
    }

    public Task<WindowsOverview> OverviewAsync(int lastFinalized, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(Windows.Overview(_connection, lastFinalized));
        }
    }

    public Task<WindowFinalizing> FinalizeAsync(IReadOnlyList<WindowRange> windows, DateTime watermark, string closedBy, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            var finalizing = Windows.Finalize(_connection, windows, watermark, closedBy, DateTime.UtcNow);
            transaction.Commit();
            return Task.FromResult(finalizing);
        }
    }

    private void CreateWindowTables()
    {
        // No key on flight_window_stats: DuckDB holds an index in its memory, and a key over the millions of window rows
        // a long load finalizes outgrew the default memory limit (a finalizing failed out of memory at 1,000,000
        // flights, Aero.Bench windows). Nothing reads a window's rows by key here; its scans are columnar.
        foreach (var statement in WindowTables.CreateStatements(SqlType, keyStats: false))
        {
            Execute(statement);
        }
    }

    /// <summary>In the group's transaction: the partials of the rows stored now, per batch, and every batch's partitions' event times.</summary>
    private void WriteWindows(List<PendingWrite> group, List<(LoadRow Row, int Batch)> stored)
    {
        var now = DateTime.UtcNow;
        var storedPerBatch = stored.ToLookup(s => s.Batch, s => s.Row);
        using (var appender = _connection.CreateAppender(WindowTables.Partials))
        {
            var closing = false;
            try
            {
                for (var i = 0; i < group.Count; i++)
                {
                    var batch = group[i].Batch;
                    foreach (var partial in WindowBatch.Partials(batch, storedPerBatch[i]))
                    {
                        var appended = appender.CreateRow();
                        foreach (var column in WindowTables.PartialColumns)
                        {
                            appended = AppendValue(appended, column.Value(batch.ClusterId, partial, now));
                        }

                        appended.EndRow();
                    }
                }

                closing = true;
                appender.Close();
            }
            catch when (!closing)
            {
                appender.Clear();
                throw;
            }
        }

        foreach (var pending in group)
        {
            Windows.UpsertWatermarks(_connection, pending.Batch, now);
        }
    }
}
