using Akka.Actor;
using Akka.Event;

namespace Aero.Node.Metrics;

/// <summary>
/// Counts restarts (from Akka's actor telemetry, <c>akka.actor.telemetry.enabled</c>) and dead letters from the event
/// stream into <see cref="AkkaMetrics"/>. Live actors are counted at scrape time instead (<see cref="ActorCensus"/>):
/// started/stopped events would miss the actors created before this one.
/// </summary>
public sealed class ActorTelemetryActor : ReceiveActor
{
    public ActorTelemetryActor()
    {
        Receive<ActorRestarted>(e => AkkaMetrics.Restarts.WithLabels(ActorTypes.Name(e.ActorType), e.Reason.GetType().Name).Inc());
        Receive<AllDeadLetters>(e => AkkaMetrics.DeadLetters.WithLabels(e.GetType().Name).Inc());
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new ActorTelemetryActor());

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(ActorRestarted));
        Context.System.EventStream.Subscribe(Self, typeof(AllDeadLetters));
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);
}
