using Aero.Actors.Jobs;
using Akka.Actor;
using Akka.Event;

namespace Aero.Actors.Coordination;

/// <summary>
/// The cluster's coordinator, run as a cluster singleton on a node with the coordinator role: it says where it lives,
/// and its children finalize event-time windows (<see cref="Windows.WindowFinalizerActor"/>) and schedule batch jobs
/// (<see cref="JobSchedulerActor"/>). Both keep their state in the warehouse, so the singleton's failover loses nothing.
/// </summary>
public sealed class CoordinatorActor : ReceiveActor
{
    public CoordinatorActor()
    {
        var address = ((ExtendedActorSystem)Context.System).Provider.DefaultAddress.ToString();
        Context.GetLogger().Info("Coordinator started at {0}", address);
        Receive<GetCoordinatorLocation>(_ => Sender.Tell(new CoordinatorLocation(address)));
        var windows = Context.ActorOf(Windows.WindowFinalizerActor.Props(), "windows");
        Receive<Windows.IWindowsMessage>(message => windows.Forward(message));
        if (JobSchedulerActor.PropsFor(Context.System) is { } jobs)
        {
            var scheduler = Context.ActorOf(jobs, "jobs");
            Receive<IJobCommand>(command => scheduler.Forward(command));
        }
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new CoordinatorActor());
}
