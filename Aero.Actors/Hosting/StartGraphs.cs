namespace Aero.Actors.Hosting;

/// <summary>Tells <see cref="GraphsActor"/> the node joined the cluster, so its graphs may start consuming.</summary>
public sealed record StartGraphs
{
    public static readonly StartGraphs Instance = new();

    private StartGraphs()
    {
    }
}
