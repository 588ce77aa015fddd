using Aero.Actors.Jobs;
using Akka.Actor;
using Akka.Event;

namespace Aero.Actors.Coordination;

/// <summary>
/// The cluster's coordinator, run as a cluster singleton on a node with the coordinator role. For now it only says
/// where it lives; window finalization and jobs move in here later, and get the singleton's failover for free.
/// </summary>
public sealed class CoordinatorActor : ReceiveActor
{
    public CoordinatorActor()
    {
        var address = ((ExtendedActorSystem)Context.System).Provider.DefaultAddress.ToString();
        Context.GetLogger().Info("Coordinator started at {0}", address);
        Receive<GetCoordinatorLocation>(_ => Sender.Tell(new CoordinatorLocation(address)));
        if (JobSchedulerActor.PropsFor(Context.System) is { } jobs)
        {
            var scheduler = Context.ActorOf(jobs, "jobs");
            Receive<IJobCommand>(command => scheduler.Forward(command));
        }
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new CoordinatorActor());
}
