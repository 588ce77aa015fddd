using Aero.Kafka.Dsl;
using Confluent.Kafka;

namespace Aero.Kafka.Internal;

internal sealed class ConsumerControl(ConsumerEngine engine) : IConsumerControl
{
    internal ConsumerEngine Engine => engine;

    public Task IsShutdown => engine.Terminated;

    public IReadOnlyDictionary<TopicPartition, long> CommittedOffsets => engine.CommittedOffsets;

    public void Stop() => engine.RequestStopEmitting();

    public Task ShutdownAsync() => engine.ShutdownAsync();

    public async Task<T> DrainAndShutdownAsync<T>(Task<T> streamCompletion, TimeSpan timeout)
    {
        Stop();
        try
        {
            return await streamCompletion.WaitAsync(timeout);
        }
        catch (TimeoutException error)
        {
            throw new TimeoutException($"The stream did not drain within {timeout.TotalSeconds:F0} s; the consumer was shut down anyway.", error);
        }
        finally
        {
            await ShutdownAsync();
        }
    }
}
