using Akka.Event;

namespace Aero.Warehouse.BigQuery;

/// <summary>
/// tabledata.insertAll done right (reference §3): requests within max-rows and max-bytes, too-large ones halved,
/// <c>stopped</c> rows re-sent as they were (same insertIds), <c>invalid</c> rows handed back to be dead-lettered.
/// </summary>
internal sealed class BigQueryStreamer(BigQuerySettings settings, BigQueryClient client, ILoggingAdapter log, TimeProvider time)
{
    /// <summary>
    /// insertAll in requests of at most max-rows and max-bytes, halving a request BigQuery finds too large, re-sending
    /// only the rows that failed for a reason other than <c>invalid</c> (<c>stopped</c> rows were not inserted only
    /// because another row was bad). Returns the invalid rows by index, with BigQuery's reason.
    /// </summary>
    public async Task<List<(int Index, string Reason)>> InsertAsync(string table, List<StreamedRow> rows, CancellationToken cancellationToken)
    {
        var invalid = new List<(int, string)>();
        var reference = new TableReference(settings.ProjectId, settings.Dataset, table);
        var pending = new Queue<int>(Enumerable.Range(0, rows.Count));
        var maxRows = settings.StreamingMaxRows;
        var firstFailure = (long?)null;
        var failures = 0;
        while (pending.Count > 0)
        {
            var chunk = new List<int>();
            var bytes = 0;
            while (pending.Count > 0 && chunk.Count < maxRows)
            {
                var size = BigQueryClient.InsertAllSize([rows[pending.Peek()]]);
                if (chunk.Count > 0 && bytes + size > settings.StreamingMaxBytes)
                {
                    break;
                }

                bytes += size;
                chunk.Add(pending.Dequeue());
            }

            InsertAllResponse response;
            try
            {
                response = await client.InsertAllAsync(reference, chunk.Select(i => rows[i]).ToList(), cancellationToken);
            }
            catch (BigQueryException error) when (IsTooLarge(error))
            {
                if (chunk.Count == 1)
                {
                    // One row alone is too large: it can never be streamed, so it is the caller's to dead-letter.
                    invalid.Add((chunk[0], $"too large for insertAll: {error.Message}"));
                    continue;
                }

                maxRows = chunk.Count / 2;
                log.Warning("BigQuery insertAll of {0} rows too large ({1}); sending at most {2} rows per request", chunk.Count, error.Message, maxRows);
                Requeue(pending, chunk);
                continue;
            }

            var retry = new List<int>();
            var onlyStopped = true;
            var invalidBefore = invalid.Count;
            foreach (var rowError in response.InsertErrors ?? [])
            {
                if (rowError.Index < 0 || rowError.Index >= chunk.Count)
                {
                    throw new BigQueryException("tabledata.insertAll", 200, null, $"an insert error for row {rowError.Index} of a request of {chunk.Count}");
                }

                var errors = rowError.Errors ?? [];
                if (errors.Count > 0 && errors.All(e => e.Reason == "invalid"))
                {
                    invalid.Add((chunk[(int)rowError.Index], string.Join("; ", errors.Select(e => $"{e.Reason}: {e.Message}"))));
                }
                else
                {
                    retry.Add(chunk[(int)rowError.Index]);
                    onlyStopped &= errors.Count > 0 && errors.All(e => e.Reason == "stopped");
                }
            }

            if (retry.Count == 0)
            {
                continue;
            }

            Requeue(pending, retry);
            // Stopped rows whose bad neighbours just left for the dlq go again at once; that can only happen as often
            // as there are invalid rows. Any other row error (backendError, timeout) backs off like a transient failure.
            if (!onlyStopped || invalid.Count == invalidBefore)
            {
                firstFailure ??= time.GetTimestamp();
                if (time.GetElapsedTime(firstFailure.Value) >= settings.RetryDeadline)
                {
                    throw new BigQueryException("tabledata.insertAll", 200, null, $"{retry.Count} rows still failing after {settings.RetryDeadline}");
                }

                var delay = TimeSpan.FromTicks(Math.Min(settings.MaxBackoff.Ticks, settings.InitialBackoff.Ticks << Math.Min(failures++, 20)));
                log.Warning("BigQuery insertAll: {0} rows failed ({1}); sending them again in {2}", retry.Count, response.InsertErrors![0].Errors?.FirstOrDefault()?.Reason, delay);
                await Task.Delay(delay, time, cancellationToken);
            }
        }

        return invalid;
    }

    private static void Requeue(Queue<int> pending, List<int> first)
    {
        var rest = pending.ToList();
        pending.Clear();
        foreach (var index in first.Concat(rest))
        {
            pending.Enqueue(index);
        }
    }

    // 400 "Request payload size exceeds the limit" / "too many rows present in the request", or a proxy's 413.
    private static bool IsTooLarge(BigQueryException error) =>
        error.HttpStatus == 413
        || (error.HttpStatus == 400
            && (error.Message.Contains("exceeds the limit", StringComparison.OrdinalIgnoreCase)
                || error.Message.Contains("too many rows", StringComparison.OrdinalIgnoreCase)));
}
