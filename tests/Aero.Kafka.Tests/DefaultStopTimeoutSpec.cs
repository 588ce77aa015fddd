using System.Diagnostics;
using Aero.Kafka.Dsl;
using Aero.Kafka.Internal;
using Aero.Kafka.Messages;
using Aero.Kafka.Settings;
using Akka;
using Akka.Streams.Dsl;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Kafka.Tests;

/// <summary>
/// issue 13 §3: the suite forces <c>aero.kafka.consumer.stop-timeout</c> to 0 (<see cref="KafkaSpecBase"/>), so no
/// spec ran the default. With the default, a drain ends within a bounded time (it never waits for the stop
/// timeout), and a stream that stops without a drain commits what was processed and closes its consumer once the
/// stop timeout has passed.
/// </summary>
public sealed class DefaultStopTimeoutSpec(ITestOutputHelper output) : KafkaSpecBase(output)
{
    private const int Partitions = 2;
    private const int Records = 2_000;

    private static readonly ConsumerSettings Defaults = Settings.ConsumerSettings.Create();

    [Fact]
    public void The_default_stop_timeout_should_be_the_one_these_specs_run()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), Defaults.StopTimeout);
    }

    // issue 13 §3 (the default stop timeout): a drain never waits for it.
    [Fact]
    public async Task Draining_with_the_default_stop_timeout_should_end_promptly_and_commit_what_was_processed()
    {
        var logEnd = Produce(Records, Partitions);
        var ledger = new OffsetLedger();
        var control = KafkaConsumer.CommittableSource(WithDefaultStopTimeout(), Subscription.ToTopics(Topic))
            .Select(message =>
            {
                ledger.Record("only", message.Record.Partition.Value, message.Record.Offset.Value);
                return (ICommittable)message.Offset;
            })
            .ToMaterialized(Committer.Sink(CommitterSettings.WithMaxInterval(TimeSpan.FromSeconds(10))), DrainingControl<Done>.Create)
            .Run(Materializer);
        await AwaitConditionAsync(() => Task.FromResult(ledger.Distinct >= Records || control.StreamCompletion.IsFaulted), TimeSpan.FromSeconds(30));

        var draining = Stopwatch.StartNew();
        await control.DrainAndShutdownAsync(TimeSpan.FromSeconds(20));

        Assert.True(draining.Elapsed < Defaults.StopTimeout / 2, $"the drain took {draining.Elapsed}, with a stop timeout of {Defaults.StopTimeout}");
        Assert.True(control.Control.IsShutdown.IsCompleted);
        Assert.Empty(ledger.Missing(logEnd));
        Assert.Equal(logEnd, Committed(Partitions));
    }

    // issue 13 §3 (the default stop timeout): downstream completing without a drain still commits what it confirmed,
    // which a stop timeout of 0 would refuse as "closed", and the consumer leaves once the stop timeout has passed.
    [Fact]
    public async Task A_stream_stopped_without_a_drain_should_commit_what_was_processed_and_close_after_the_stop_timeout()
    {
        Produce(Records, Partitions);
        var ledger = new OffsetLedger();
        var stopped = Stopwatch.StartNew();

        var (control, done) = KafkaConsumer.CommittableSource(WithDefaultStopTimeout(), Subscription.ToTopics(Topic))
            .Take(Records / 2)
            .Select(message =>
            {
                ledger.Record("only", message.Record.Partition.Value, message.Record.Offset.Value);
                return (ICommittable)message.Offset;
            })
            .ToMaterialized(Committer.Sink(CommitterSettings.WithMaxInterval(TimeSpan.FromSeconds(10))), Keep.Both)
            .Run(Materializer);
        await done.WaitAsync(TimeSpan.FromSeconds(30));

        var expected = Enumerable.Range(0, Partitions)
            .Where(p => ledger.MaxOffset(p) >= 0)
            .ToDictionary(p => p, p => ledger.MaxOffset(p) + 1);
        Assert.Equal(Records / 2, ledger.Distinct);
        Assert.Equal(expected, Committed(Partitions).Where(c => expected.ContainsKey(c.Key)).ToDictionary(c => c.Key, c => c.Value));
        Assert.False(control.IsShutdown.IsCompleted, "the consumer closed before its stop timeout");
        await control.IsShutdown.WaitAsync(Defaults.StopTimeout + Defaults.CloseTimeout + TimeSpan.FromSeconds(10));
        Assert.True(stopped.Elapsed >= Defaults.StopTimeout, $"closed after {stopped.Elapsed}");
    }

    private ConsumerSettings WithDefaultStopTimeout() => ConsumerSettings.WithStopTimeout(Defaults.StopTimeout);
}
