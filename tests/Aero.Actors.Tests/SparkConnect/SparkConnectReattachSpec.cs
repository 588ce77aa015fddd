using Aero.FakeSparkConnect;
using Xunit;

namespace Aero.Actors.Tests.SparkConnect;

/// <summary>Issue 18 §3: a stream cut mid-result is reattached from the last response, and no batch is lost or repeated.</summary>
public sealed class SparkConnectReattachSpec
{
    private const int Rows = 50;

    [Theory]
    [InlineData(StreamCutKind.EndEarly)]
    [InlineData(StreamCutKind.Unavailable)]
    [InlineData(StreamCutKind.Abort)]
    public async Task A_stream_cut_mid_result_should_be_reattached_without_losing_or_repeating_a_batch(StreamCutKind kind)
    {
        await using var server = await FakeSparkConnectServer.StartAsync(new FakeSparkConnectOptions { RowsPerBatch = 1 });
        // Cut the first stream after 7 batches, the first reattach before it sends anything, the second after 20.
        server.CutStreams(new StreamCut(7, kind), new StreamCut(0, kind), new StreamCut(20, kind));
        var log = new RecordingLog();
        await using var client = SparkConnectSpecs.Client(server, log);

        var result = await client.ExecuteSqlAsync($"SELECT range AS n FROM range({Rows})", "job-7", CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, Rows).Select(n => (object?)(long)n), result.Rows.Select(row => row[0]));
        Assert.Equal(Rows, result.RowCount);
        var reattaches = server.Requests.Where(request => request.Rpc == "ReattachExecute").ToList();
        Assert.Equal(3, reattaches.Count);
        Assert.All(reattaches, request => Assert.Equal(result.OperationId, request.OperationId));
        Assert.Contains(log.Lines, line => line.Contains("reattaching", StringComparison.Ordinal));
        if (kind != StreamCutKind.Abort)
        {
            // Every response written once, and each reattach resumed right after the last one written.
            var sent = server.Operation(result.OperationId).SentResponseIds;
            Assert.Equal(Rows + 1, sent.Count);
            Assert.Equal(sent.Count, sent.Distinct().Count());
            Assert.Equal([sent[6], sent[6], sent[26]], reattaches.Select(request => request.Cursor));
        }
    }

    [Fact]
    public async Task A_reattach_before_any_response_should_leave_the_cursor_unset()
    {
        await using var server = await FakeSparkConnectServer.StartAsync(new FakeSparkConnectOptions { RowsPerBatch = 1 });
        server.CutStreams(new StreamCut(0, StreamCutKind.EndEarly));
        await using var client = SparkConnectSpecs.Client(server);

        var result = await client.ExecuteSqlAsync("SELECT range AS n FROM range(3)", "job-8", CancellationToken.None);

        Assert.Equal(3, result.RowCount);
        var reattach = Assert.Single(server.Requests, request => request.Rpc == "ReattachExecute");
        Assert.Null(reattach.Cursor);
    }

    [Fact]
    public async Task A_silent_stream_should_be_reattached_after_the_idle_timeout()
    {
        // A batch a second, against an idle timeout of 300 ms: as when a load balancer drops a stream without a word.
        await using var server = await FakeSparkConnectServer.StartAsync(new FakeSparkConnectOptions { RowsPerBatch = 1, BatchDelay = TimeSpan.FromSeconds(1) });
        var log = new RecordingLog();
        var settings = SparkConnectSpecs.Settings(server).WithStreamIdleTimeout(TimeSpan.FromMilliseconds(300));
        await using var client = new Aero.Actors.Jobs.SparkConnect.SparkConnectClient(settings, log);

        var result = await client.ExecuteSqlAsync("SELECT range AS n FROM range(3)", "job-17", CancellationToken.None);

        Assert.Equal([0L, 1L, 2L], result.Rows.Select(row => row[0]));
        Assert.Contains(server.Requests, request => request.Rpc == "ReattachExecute");
        Assert.Contains(log.Lines, line => line.Contains("was silent for", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stream_that_keeps_breaking_should_fail_the_run_after_the_retry_attempts()
    {
        await using var server = await FakeSparkConnectServer.StartAsync(new FakeSparkConnectOptions { RowsPerBatch = 1 });
        server.CutStreams([.. Enumerable.Repeat(new StreamCut(0, StreamCutKind.Unavailable), 10)]);
        await using var client = SparkConnectSpecs.Client(server);

        var error = await Assert.ThrowsAsync<Aero.Actors.Jobs.SparkConnect.SparkConnectException>(
            () => client.ExecuteSqlAsync("SELECT range AS n FROM range(3)", "job-9", CancellationToken.None));

        Assert.Equal("Unavailable", error.GrpcStatus);
        // The first stream and five reattaches (aero.jobs.spark-connect.retry.attempts in the specs' settings).
        Assert.Equal(5, server.Requests.Count(request => request.Rpc == "ReattachExecute"));
    }
}
