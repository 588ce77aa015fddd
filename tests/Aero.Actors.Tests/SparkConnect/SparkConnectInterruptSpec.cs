using Aero.Actors.Jobs.SparkConnect;
using Aero.FakeSparkConnect;
using Xunit;

namespace Aero.Actors.Tests.SparkConnect;

/// <summary>Issue 18 §3: interrupt works: a cancelled run's query stops on the server, not only on the client.</summary>
public sealed class SparkConnectInterruptSpec
{
    // 100,000 batches, 20 ms apart: over half an hour unless interrupted.
    private const string LongQuery = "SELECT range AS n FROM range(1000000)";

    private static readonly FakeSparkConnectOptions Slow = new() { RowsPerBatch = 10, BatchDelay = TimeSpan.FromMilliseconds(20) };

    [Fact]
    public async Task Cancelling_a_run_should_interrupt_its_query_on_the_server()
    {
        await using var server = await FakeSparkConnectServer.StartAsync(Slow);
        var log = new RecordingLog();
        await using var client = SparkConnectSpecs.Client(server, log);
        using var cancel = new CancellationTokenSource();

        var run = client.ExecuteSqlAsync(LongQuery, "job-10", cancel.Token);
        var operation = await server.WaitForBatchesAsync("job-10", 2, SparkConnectSpecs.Patience);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        await operation.Stopped.WaitAsync(SparkConnectSpecs.Patience);
        Assert.Equal(FakeOperationState.Interrupted, operation.State);
        Assert.True(operation.BatchesProduced < 100_000, $"the query produced all {operation.BatchesProduced} batches");
        Assert.Contains(server.Requests, request => request.Rpc == "Interrupt" && request.OperationId == operation.Id);
        Assert.True(operation.Released);
    }

    [Fact]
    public async Task A_run_cancelled_at_any_moment_should_end_cancelled_and_leave_nothing_running_on_the_server()
    {
        await using var server = await FakeSparkConnectServer.StartAsync(Slow);
        await using var client = SparkConnectSpecs.Client(server);

        // Cancelled before the call starts, while it starts, and while it streams: a cancellation racing the call's
        // start or end reaches Grpc.Net.Client as RpcException CANCELLED, which must still interrupt the run.
        foreach (var delay in new[] { 0, 1, 5, 20, 50, 100 })
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(delay));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ExecuteSqlAsync(LongQuery, $"job-race-{delay}", cancel.Token));
        }

        var operations = server.Sessions.SelectMany(session => session.Operations.Values).ToList();
        await Task.WhenAll(operations.Select(operation => operation.Stopped)).WaitAsync(SparkConnectSpecs.Patience);
        Assert.All(operations, operation => Assert.Equal(FakeOperationState.Interrupted, operation.State));
    }

    [Fact]
    public async Task A_run_cancelled_before_the_server_registered_it_should_still_be_interrupted_there()
    {
        // The interrupt the cancel sends arrives while the server has not registered the operation yet.
        await using var server = await FakeSparkConnectServer.StartAsync(Slow with { RegisterDelay = TimeSpan.FromMilliseconds(300) });
        await using var client = new SparkConnectClient(SparkConnectSpecs.Settings(server).WithRetry(5, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1)), new RecordingLog());
        using var cancel = new CancellationTokenSource();

        var run = client.ExecuteSqlAsync(LongQuery, "job-late", cancel.Token);
        var deadline = DateTime.UtcNow + SparkConnectSpecs.Patience;
        while (!server.Requests.Any(request => request.Rpc == "ExecutePlan"))
        {
            Assert.True(DateTime.UtcNow < deadline, "ExecutePlan never reached the server");
            await Task.Delay(5);
        }

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        var operation = Assert.Single(server.Sessions.SelectMany(session => session.Operations.Values));
        await operation.Stopped.WaitAsync(SparkConnectSpecs.Patience);
        Assert.Equal(FakeOperationState.Interrupted, operation.State);
        Assert.True(server.Requests.Count(request => request.Rpc == "Interrupt") >= 2, "the first interrupt should have found nothing");
    }

    [Fact]
    public async Task Interrupting_a_tag_should_stop_its_run_with_operation_canceled()
    {
        await using var server = await FakeSparkConnectServer.StartAsync(Slow);
        await using var client = SparkConnectSpecs.Client(server);

        var run = client.ExecuteSqlAsync(LongQuery, "job-11", CancellationToken.None);
        var operation = await server.WaitForBatchesAsync("job-11", 1, SparkConnectSpecs.Patience);
        var interrupted = await client.InterruptTagAsync("job-11", CancellationToken.None);

        Assert.Equal([operation.Id], interrupted);
        var error = await Assert.ThrowsAsync<SparkConnectException>(() => run);
        Assert.Equal("OPERATION_CANCELED", error.ErrorClass);
        Assert.Equal(FakeOperationState.Interrupted, operation.State);
    }
}
