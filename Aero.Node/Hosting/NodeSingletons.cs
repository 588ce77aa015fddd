using Aero.Actors.Coordination;
using Aero.Actors.Hosting;

namespace Aero.Node.Hosting;

/// <summary>The cluster singletons every node offers to host; a new one is one more entry here.</summary>
public static class NodeSingletons
{
    public static readonly HostedSingleton Coordinator = new("coordinator", "coordinator", CoordinatorActor.Props());
}
