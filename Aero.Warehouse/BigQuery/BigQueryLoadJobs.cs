using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Akka.Event;

namespace Aero.Warehouse.BigQuery;

/// <summary>
/// Load jobs with deterministic ids: insert (multipart, or resumable when large), adopt on 409, wait for DONE and
/// re-read it, move to the next attempt id when a job failed; and keep jobs into one table load-interval apart.
/// </summary>
internal sealed class BigQueryLoadJobs(BigQuerySettings settings, BigQueryClient client, ILoggingAdapter log, TimeProvider time)
{
    private static readonly string[] ActiveJobStates = ["pending", "running"];

    // When the next load job into each table may start. The warehouse runs one write at a time, so no lock.
    private readonly Lock _slots = new();
    private readonly Dictionary<string, DateTimeOffset> _nextStart = new(StringComparer.Ordinal);

    /// <summary>
    /// Loads NDJSON into a table under the job id of this cluster, topic, partition and offset range. Returns the
    /// job, DONE without error, and whether this call's own request created it (false: it was there already, the
    /// work of an earlier run or of another writer of the same records).
    /// </summary>
    public async Task<(Job Job, bool Created)> RunAsync(
        string table,
        string clusterId,
        string topic,
        int partition,
        (long First, long Last) offsets,
        byte[] body,
        CancellationToken cancellationToken)
    {
        var destination = new TableReference(settings.ProjectId, settings.Dataset, table);
        var firstFailure = (long?)null;
        for (var attempt = 0; ; attempt++)
        {
            var jobId = JobId(clusterId, settings, topic, partition, offsets.First, offsets.Last, table, attempt);
            var job = new Job(
                new JobReference(settings.ProjectId, jobId, settings.Location),
                new JobConfiguration(
                    new JobConfigurationLoad(destination, "NEWLINE_DELIMITED_JSON", "WRITE_APPEND", "CREATE_NEVER", IgnoreUnknownValues: false, MaxBadRecords: 0),
                    new Dictionary<string, string> { ["aero"] = "load" }));
            var attempts = 0;
            bool created;
            try
            {
                await WaitForSlotAsync(table, cancellationToken);
                try
                {
                    _ = body.Length <= settings.UploadChunkBytes
                        ? await client.InsertJobMultipartAsync(job, body, () => attempts++, cancellationToken)
                        : await client.InsertJobResumableAsync(job, body, settings.UploadChunkBytes, () => attempts++, cancellationToken);
                }
                finally
                {
                    InsertAnswered(table);
                }

                created = true;
            }
            catch (BigQueryException error) when (error.IsDuplicate)
            {
                // Accepted before. After a failed attempt of ours (an answer lost on the way), most likely by it;
                // otherwise by a run that crashed, or another writer of the same records. Adopt it either way.
                created = attempts > 1;
                log.Info("BigQuery load job {0} exists already; adopting it", jobId);
            }

            // Never trust an insert's answer alone: the job's state is what jobs.get says once it is DONE.
            var done = await WaitForDoneAsync(jobId, cancellationToken);
            if (done.Status?.ErrorResult is not { } failure)
            {
                BigQueryMetrics.LoadJobs.Add(1);
                return (done, created);
            }

            // A job that failed cannot run again under its id. One found failed, from an earlier write, says nothing
            // about this one's data: the next id at once. One of ours: again only if the failure was transient.
            // errorResult says only that the job gave up; errors[] says why, row by row.
            var details = (done.Status.Errors ?? []).Select(e => e.Message).OfType<string>().Where(m => m != failure.Message).Distinct().ToList();
            var jobError = new BigQueryException($"load job {jobId}", null, failure.Reason, string.Join("; ", details.Prepend(failure.Message ?? "failed")))
            {
                Details = details,
            };
            if (!created)
            {
                log.Info("BigQuery load job {0} had failed before ({1}); loading as attempt {2}", jobId, failure.Reason, attempt + 1);
                continue;
            }

            if (failure.Reason is not ("jobBackendError" or "jobInternalError" or "jobRateLimitExceeded" or "backendError" or "internalError" or "rateLimitExceeded"))
            {
                throw jobError;
            }

            firstFailure ??= time.GetTimestamp();
            if (time.GetElapsedTime(firstFailure.Value) >= settings.RetryDeadline)
            {
                throw jobError;
            }

            var delay = TimeSpan.FromTicks(Math.Min(settings.MaxBackoff.Ticks, settings.InitialBackoff.Ticks << Math.Min(attempt, 20)));
            log.Warning("{0}; retrying as attempt {1} in {2}", jobError.Message, attempt + 1, delay);
            await Task.Delay(delay, time, cancellationToken);
        }
    }

    /// <summary>Returns once no load job of this cluster and topic is pending or running.</summary>
    public async Task WaitForActiveJobsAsync(string clusterId, string topic, CancellationToken cancellationToken)
    {
        var prefix = JobPrefix(topic) + "_";
        var scope = "_" + JobScope(clusterId, settings, topic) + "_a";
        while (true)
        {
            var active = await client.ListJobsAsync(settings.ProjectId, ActiveJobStates, cancellationToken);
            var ours = active.Count(j => j.JobReference?.JobId is { } id && id.StartsWith(prefix, StringComparison.Ordinal) && id.Contains(scope, StringComparison.Ordinal));
            if (ours == 0)
            {
                return;
            }

            log.Info("Waiting for {0} BigQuery load job(s) of {1} to finish before reading the stored offsets", ours, topic);
            await Task.Delay(settings.JobPollInterval, time, cancellationToken);
        }
    }

    /// <summary>
    /// <c>aero_&lt;topic&gt;_&lt;partition&gt;_&lt;first offset&gt;_&lt;last offset&gt;_&lt;table&gt;_&lt;scope&gt;_a&lt;attempt&gt;</c>. Job ids allow
    /// [A-Za-z0-9_-], so other characters of the topic become '_'. The table tells a batch's jobs apart; the scope
    /// (a hash of the cluster id, dataset and exact topic) keeps topics that sanitise alike, or a new Kafka cluster
    /// starting again at offset 0, from adopting each other's jobs.
    /// </summary>
    public static string JobId(string clusterId, BigQuerySettings settings, string topic, int partition, long first, long last, string table, int attempt) =>
        string.Join(
            '_',
            JobPrefix(topic),
            partition.ToString(CultureInfo.InvariantCulture),
            first.ToString(CultureInfo.InvariantCulture),
            last.ToString(CultureInfo.InvariantCulture),
            table,
            JobScope(clusterId, settings, topic),
            "a" + attempt.ToString(CultureInfo.InvariantCulture));

    private static string JobPrefix(string topic) =>
        "aero_" + new string(topic.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_').Take(200).ToArray());

    private static string JobScope(string clusterId, BigQuerySettings settings, string topic) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{clusterId}\n{settings.ProjectId}.{settings.Dataset}\n{topic}")))[..12];

    private async Task<Job> WaitForDoneAsync(string jobId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var job = await client.GetJobAsync(settings.ProjectId, jobId, settings.Location, cancellationToken)
                ?? throw new BigQueryException("jobs.get", 404, "notFound", $"job {jobId} in {settings.Location} was accepted but cannot be found");
            if (job.Status?.State == "DONE")
            {
                return job;
            }

            await Task.Delay(settings.JobPollInterval, time, cancellationToken);
        }
    }

    /// <summary>Keeps load jobs into one table at least load-interval apart (1,500 per table per day, failures included).</summary>
    private async Task WaitForSlotAsync(string table, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_slots)
            {
                var now = time.GetUtcNow();
                wait = _nextStart.GetValueOrDefault(table, DateTimeOffset.MinValue) - now;
                if (wait <= TimeSpan.Zero)
                {
                    _nextStart[table] = now + settings.LoadInterval;
                    return;
                }
            }

            // Again after the wait: the insert before may have been answered meanwhile and moved the slot on.
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    /// <summary>
    /// The next job into the table waits load-interval from the answer to this insert: however late a request
    /// reaches BigQuery, it sees the jobs at least that far apart.
    /// </summary>
    private void InsertAnswered(string table)
    {
        lock (_slots)
        {
            var next = time.GetUtcNow() + settings.LoadInterval;
            if (next > _nextStart.GetValueOrDefault(table, DateTimeOffset.MinValue))
            {
                _nextStart[table] = next;
            }
        }
    }
}
