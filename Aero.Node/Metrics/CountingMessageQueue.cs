using Akka.Actor;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;
using Prometheus;

namespace Aero.Node.Metrics;

/// <summary>An unbounded message queue that counts dequeued messages per actor type.</summary>
public sealed class CountingMessageQueue : IMessageQueue, IUnboundedMessageQueueSemantics
{
    private readonly UnboundedMessageQueue _queue = new();
    private readonly IActorRef? _owner;
    private Counter.Child? _received;
    private string? _actorType;

    public CountingMessageQueue(IActorRef? owner)
    {
        _owner = owner;
    }

    public bool HasMessages => _queue.HasMessages;

    public int Count => _queue.Count;

    /// <summary>Resolved on first use: while the queue is created its owner's cell is not set up yet.</summary>
    private string ActorType => _actorType ??= ActorTypes.Name((_owner as ActorRefWithCell)?.Underlying?.Props?.Type);

    public void Enqueue(IActorRef receiver, Envelope envelope) => _queue.Enqueue(receiver, envelope);

    public bool TryDequeue(out Envelope envelope)
    {
        if (!_queue.TryDequeue(out envelope))
        {
            return false;
        }

        (_received ??= AkkaMetrics.MessagesReceived.WithLabels(ActorType)).Inc();
        return true;
    }

    public void CleanUp(IActorRef owner, IMessageQueue deadletters) => _queue.CleanUp(owner, deadletters);
}
