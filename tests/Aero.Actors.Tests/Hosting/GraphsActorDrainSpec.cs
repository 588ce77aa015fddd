using Aero.Actors.Hosting;
using Aero.Kafka.Dsl;
using Akka;
using Akka.Actor;
using Confluent.Kafka;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Actors.Tests.Hosting;

/// <summary>No silent loss: a drain asked for while one is in progress waits for it and reports its outcome.</summary>
public sealed class GraphsActorDrainSpec(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("akka.loglevel = INFO", output: output)
{
    private static readonly GraphBackoffSettings Backoff = new(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), 0, 3, TimeSpan.FromMinutes(1));
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    private readonly GatedControl _control = new();

    // No silent loss: the second drain (a SIGTERM during `aero pipeline pause`, say) used to answer "stopped" at once,
    // while the first was still committing, so the node could exit before its records reached the warehouse.
    [Fact]
    public async Task A_drain_asked_for_during_a_drain_should_wait_for_it_and_report_its_outcome()
    {
        var graphs = await StartedGraphs();

        var first = graphs.Ask<GraphsStatus>(new PauseGraphs("load", DrainTimeout), DrainTimeout * 2);
        await AwaitConditionAsync(() => Task.FromResult(_control.Drains == 1), TimeSpan.FromSeconds(5));
        var second = graphs.Ask<GraphsStatus>(new DrainGraphs(DrainTimeout), DrainTimeout * 2);

        Assert.Equal(GraphState.Draining, Assert.Single((await graphs.Ask<GraphsStatus>(GetGraphsStatus.Instance, TimeSpan.FromSeconds(3))).Graphs).State);
        // As ExpectNoMsg: a wrong answer would come within this.
        await Task.WhenAny(second, Task.Delay(TimeSpan.FromMilliseconds(500)));
        Assert.False(second.IsCompleted, "the second drain answered while the first was still in progress");
        _control.Finish(null);

        Assert.Equal(GraphState.Stopped, Assert.Single((await first).Graphs).State);
        Assert.Equal(GraphState.Stopped, Assert.Single((await second).Graphs).State);
        Assert.Equal(1, _control.Drains);
    }

    // No silent loss: a drain that fails must fail for everyone waiting on it, not look clean to the second asker.
    [Fact]
    public async Task A_drain_asked_for_during_a_failing_drain_should_report_the_failure()
    {
        var graphs = await StartedGraphs();

        var first = graphs.Ask<GraphsStatus>(new DrainGraphs(DrainTimeout), DrainTimeout * 2);
        await AwaitConditionAsync(() => Task.FromResult(_control.Drains == 1), TimeSpan.FromSeconds(5));
        var second = graphs.Ask<GraphsStatus>(new DrainGraphs(DrainTimeout), DrainTimeout * 2);
        await graphs.Ask<GraphsStatus>(GetGraphsStatus.Instance, TimeSpan.FromSeconds(3));
        _control.Finish(new KafkaException(ErrorCode.Local_TimedOut));

        await Assert.ThrowsAnyAsync<Exception>(() => first);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => second);
        Assert.Contains("did not drain cleanly", error.Message, StringComparison.Ordinal);
    }

    private async Task<IActorRef> StartedGraphs()
    {
        var graphs = Sys.ActorOf(GraphsActor.Props(
            [new HostedGraph("load", "ingest", _ => DrainingControl<Done>.Create(_control, _control.Completion))],
            Backoff));
        graphs.Tell(StartGraphs.Instance);
        await AwaitConditionAsync(
            async () => (await graphs.Ask<GraphsStatus>(GetGraphsStatus.Instance, TimeSpan.FromSeconds(3))).AllRunning,
            TimeSpan.FromSeconds(5));
        return graphs;
    }

    /// <summary>A consumer control whose drain ends only when the spec says, as a drain still committing.</summary>
    private sealed class GatedControl : IConsumerControl
    {
        private readonly TaskCompletionSource<Done> _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _drains;

        public int Drains => Volatile.Read(ref _drains);

        public Task<Done> Completion => _drained.Task;

        public IReadOnlyDictionary<TopicPartition, long> CommittedOffsets => new Dictionary<TopicPartition, long>();

        public Task IsShutdown => _drained.Task;

        public void Finish(Exception? error)
        {
            if (error is null)
            {
                _drained.TrySetResult(Done.Instance);
            }
            else
            {
                _drained.TrySetException(error);
            }
        }

        public void Stop()
        {
        }

        public Task ShutdownAsync() => Task.CompletedTask;

        public async Task<T> DrainAndShutdownAsync<T>(Task<T> streamCompletion, TimeSpan timeout)
        {
            Interlocked.Increment(ref _drains);
            await _drained.Task;
            return await streamCompletion;
        }
    }
}
