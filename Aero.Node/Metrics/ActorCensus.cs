using Akka.Actor;

namespace Aero.Node.Metrics;

/// <summary>Live actors and queued messages per actor type, counted by walking the node's actor tree from the root guardian.</summary>
public static class ActorCensus
{
    public static IReadOnlyDictionary<string, (int Live, int Queued)> Take(ExtendedActorSystem system)
    {
        var census = new Dictionary<string, (int Live, int Queued)>(StringComparer.Ordinal);
        var pending = new Stack<IActorRef>();
        pending.Push(system.Provider.RootGuardian);
        while (pending.TryPop(out var actor))
        {
            if (actor is not ActorRefWithCell { Underlying: var cell } withCell)
            {
                continue;
            }

            var type = ActorTypes.Name(cell.Props?.Type);
            var (live, queued) = census.GetValueOrDefault(type);
            census[type] = (live + 1, queued + cell.NumberOfMessages);
            foreach (var child in withCell.Children)
            {
                pending.Push(child);
            }
        }

        return census;
    }
}
