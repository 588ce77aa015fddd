using Confluent.Kafka;

namespace Aero.Kafka.Internal;

/// <summary>
/// The records of one partition in one assignment, handed from the consumer thread to the stream.
/// A partition that is revoked and assigned again gets a new buffer, so offsets of the old
/// assignment can be told apart (and are never committed) by reference.
/// </summary>
internal sealed class PartitionBuffer
{
    private readonly Queue<ConsumeResult<byte[], byte[]>> _records = new();
    private readonly Lock _gate = new();
    private Action? _wakeup;
    private int _count;
    private volatile bool _revoked;

    public PartitionBuffer(ConsumerEngine engine, TopicPartition topicPartition)
    {
        Engine = engine;
        TopicPartition = topicPartition;
    }

    public ConsumerEngine Engine { get; }

    public TopicPartition TopicPartition { get; }

    public int Count => Volatile.Read(ref _count);

    public bool IsRevoked => _revoked;

    /// <summary>Consumer thread: paused by the engine because the stream did not keep up.</summary>
    public bool IsPaused { get; set; }

    /// <summary>Consumer thread: adds a polled record; false once revoked (the record is dropped).</summary>
    public bool Append(ConsumeResult<byte[], byte[]> record)
    {
        lock (_gate)
        {
            if (_revoked)
            {
                return false;
            }

            _records.Enqueue(record);
            _count++;
            return true;
        }
    }

    /// <summary>Stream: moves up to <paramref name="max"/> records into <paramref name="into"/>.</summary>
    public int DrainTo(Queue<ConsumeResult<byte[], byte[]>> into, int max)
    {
        lock (_gate)
        {
            var taken = 0;
            while (taken < max && _records.TryDequeue(out var record))
            {
                into.Enqueue(record);
                taken++;
            }

            _count -= taken;
            return taken;
        }
    }

    /// <summary>Stream: asks for <paramref name="wakeup"/> to run once records arrive or the partition is revoked.</summary>
    public void RegisterWakeup(Action wakeup) => Interlocked.Exchange(ref _wakeup, wakeup);

    /// <summary>Consumer thread: runs the pending wake-up, if any.</summary>
    public void Wake() => Interlocked.Exchange(ref _wakeup, null)?.Invoke();

    /// <summary>Consumer thread: the partition is gone; its unread records are dropped, never emitted.</summary>
    public int Revoke()
    {
        int dropped;
        lock (_gate)
        {
            _revoked = true;
            dropped = _records.Count;
            _records.Clear();
            _count = 0;
        }

        Wake();
        return dropped;
    }

    public override string ToString() => $"{TopicPartition.Topic}[{TopicPartition.Partition.Value}]";
}
