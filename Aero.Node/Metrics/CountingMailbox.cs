using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace Aero.Node.Metrics;

/// <summary>
/// The node's default mailbox: Akka's unbounded queue, counting what each actor takes out (messages received by actor
/// type) and exposing queue lengths (mailbox depth). Akka has no hook for either; a mailbox type is its supported seam.
/// Set as <c>akka.actor.default-mailbox.mailbox-type</c> by the node.
/// </summary>
public sealed class CountingMailbox(Settings settings, Config config) : MailboxType(settings, config), IProducesMessageQueue<CountingMessageQueue>
{
    public override IMessageQueue Create(IActorRef owner, ActorSystem system) => new CountingMessageQueue(owner);
}
