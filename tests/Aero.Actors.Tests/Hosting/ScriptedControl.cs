using Aero.Kafka.Dsl;
using Confluent.Kafka;

namespace Aero.Actors.Tests.Hosting;

/// <summary>A consumer control without Kafka: the stream "completes" when drained, and counts the drains.</summary>
public sealed class ScriptedControl : IConsumerControl
{
    private readonly TaskCompletionSource _shutdown = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Drains { get; private set; }

    public IReadOnlyDictionary<TopicPartition, long> CommittedOffsets => new Dictionary<TopicPartition, long>();

    public Task IsShutdown => _shutdown.Task;

    public void Stop()
    {
    }

    public Task ShutdownAsync()
    {
        _shutdown.TrySetResult();
        return Task.CompletedTask;
    }

    public async Task<T> DrainAndShutdownAsync<T>(Task<T> streamCompletion, TimeSpan timeout)
    {
        Drains++;
        await ShutdownAsync();
        return streamCompletion.IsCompleted ? await streamCompletion : default!;
    }
}
