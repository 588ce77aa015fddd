using Confluent.Kafka;

namespace Aero.Kafka.Dsl;

/// <summary>Steers a running Kafka source from outside the stream (the materialized value of every source).</summary>
public interface IConsumerControl
{
    /// <summary>Stops emitting records and completes the source(s); the consumer stays open so commits still work.</summary>
    void Stop();

    /// <summary>Stops, commits what is pending, leaves the group and closes the consumer.</summary>
    Task ShutdownAsync();

    /// <summary>The next offset (last committed record + 1) this consumer last committed per partition.</summary>
    IReadOnlyDictionary<TopicPartition, long> CommittedOffsets { get; }

    /// <summary>Completes once the consumer is closed.</summary>
    Task IsShutdown { get; }

    /// <summary>
    /// Stop emitting, wait for <paramref name="streamCompletion"/> (in-flight records reach the sink and their
    /// offsets the committer) for at most <paramref name="timeout"/>, then shut down. Shuts down on failure too.
    /// </summary>
    Task<T> DrainAndShutdownAsync<T>(Task<T> streamCompletion, TimeSpan timeout);
}
