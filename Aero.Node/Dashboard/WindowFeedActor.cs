using System.Text.Json;
using System.Text.Json.Nodes;
using Aero.Actors.Windows;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;

namespace Aero.Node.Dashboard;

/// <summary>
/// Subscribes to <c>aero.windows.finalizer.pubsub-topic</c> on the cluster's distributed pub-sub and hands every window
/// published there to the <see cref="WindowFeed"/> as JSON: a <see cref="WindowFinalized"/> as its flat fields (the page
/// shows a window's plain values), anything else as its type's name and public properties.
/// </summary>
public sealed class WindowFeedActor : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public WindowFeedActor(string topic, WindowFeed feed)
    {
        DistributedPubSub.Get(Context.System).Mediator.Tell(new Subscribe(topic, Self));
        Receive<SubscribeAck>(_ => _log.Info("Dashboard subscribed to the windows topic {0}", topic));
        Receive<WindowFinalized>(finalized => feed.Publish(new JsonObject
        {
            ["type"] = nameof(WindowFinalized),
            ["window"] = new JsonObject
            {
                ["start"] = finalized.Window.Window.Start,
                ["end"] = finalized.Window.Window.End,
                ["flights"] = finalized.Window.Flights,
                ["closed_by"] = finalized.Window.ClosedBy,
                ["finalized_at"] = finalized.Window.FinalizedAt,
            },
        }.ToJsonString()));
        ReceiveAny(message =>
        {
            try
            {
                feed.Publish(new JsonObject
                {
                    ["type"] = message.GetType().Name,
                    ["window"] = JsonSerializer.SerializeToNode(message, message.GetType()),
                }.ToJsonString());
            }
            catch (Exception error) when (error is NotSupportedException or JsonException or InvalidOperationException)
            {
                _log.Warning("Dashboard: a {0} on {1} has no JSON form, shown as text: {2}", message.GetType().Name, topic, error.Message);
                feed.Publish(new JsonObject { ["type"] = message.GetType().Name, ["text"] = message.ToString() }.ToJsonString());
            }
        });
    }

    public static Props Props(string topic, WindowFeed feed) => Akka.Actor.Props.Create(() => new WindowFeedActor(topic, feed));
}
