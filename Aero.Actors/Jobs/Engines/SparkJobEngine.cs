using Aero.Actors.Jobs.SparkConnect;
using Akka.Event;

namespace Aero.Actors.Jobs.Engines;

/// <summary>
/// Spark through Spark Connect: one session per scheduler (so per coordinator), opened when it starts and released
/// when it stops. A run creates its output table when missing (partitioned by <c>period</c>, the query's columns
/// first, as Spark puts partition columns last), replaces the period's partition with <c>INSERT OVERWRITE ...
/// PARTITION (period = ...)</c>, one statement, so the period's rows are swapped as a whole and a retry never adds to
/// them, then counts the partition's rows. Every operation of a run carries <see cref="Tag"/>, so cancelling the run
/// or its timeout interrupts exactly its work on the server. The output lives in Spark's catalog, not beside
/// <c>_aero_jobs</c>, so the run's claim is guarded by its lease alone.
/// </summary>
public sealed class SparkJobEngine(Func<ILoggingAdapter, SparkConnectClient> connect) : IJobEngine
{
    private readonly Lock _gate = new();
    private SparkConnectClient? _client;
    private ILoggingAdapter? _log;

    public string Name => "spark";

    public string Dialect => "spark";

    /// <summary>The operation tag of a run's work on the server; run ids carry no commas, which tags refuse.</summary>
    public static string Tag(string runId) => $"aero-job-{runId}";

    public Task OpenAsync(ILoggingAdapter log, CancellationToken cancellation)
    {
        lock (_gate)
        {
            _log = log;
            _client ??= connect(log);
        }

        return Task.CompletedTask;
    }

    public async Task CloseAsync(CancellationToken cancellation)
    {
        SparkConnectClient? client;
        lock (_gate)
        {
            (client, _client) = (_client, null);
        }

        if (client is not null)
        {
            await using (client)
            {
                await client.ReleaseSessionAsync(cancellation);
            }
        }
    }

    public async Task<long> RunAsync(JobRunRequest request, CancellationToken cancellation)
    {
        SparkConnectClient client;
        lock (_gate)
        {
            client = _client ?? throw new InvalidOperationException("The spark engine runs jobs only between its scheduler's start and stop.");
        }

        var tag = Tag(request.RunId);
        var period = JobSqlText.Text(request.PeriodKey);
        try
        {
            await client.ExecuteStatementAsync(
                $"CREATE TABLE IF NOT EXISTS {request.Output} USING parquet PARTITIONED BY (period) AS SELECT q.*, CAST('' AS STRING) AS period FROM ({request.Sql}) q WHERE 1 = 0",
                tag,
                cancellation);
            await client.ExecuteStatementAsync($"INSERT OVERWRITE TABLE {request.Output} PARTITION (period = {period}) SELECT q.* FROM ({request.Sql}) q", tag, cancellation);
            var written = await client.ExecuteSqlAsync($"SELECT COUNT(*) AS written FROM {request.Output} WHERE period = {period}", tag, cancellation);
            return Convert.ToInt64(written.Rows[0][0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // The client interrupted the operation it was in; the tag stops any other of this run's still on the server.
            // Should that fail too, the client has logged its own interrupt's outcome: the cancellation stands.
            try
            {
                await client.InterruptTagAsync(tag, CancellationToken.None);
            }
            catch (Exception error) when (error is Grpc.Core.RpcException or SparkConnectException or OperationCanceledException)
            {
                _log?.Warning("Spark job run {0}: interrupting its tag {1} failed ({2})", request.RunId, tag, error.Message);
            }

            throw;
        }
    }
}
