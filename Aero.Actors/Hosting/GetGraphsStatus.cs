namespace Aero.Actors.Hosting;

/// <summary>Asks <see cref="GraphsActor"/> for <see cref="GraphsStatus"/>.</summary>
public sealed record GetGraphsStatus
{
    public static readonly GetGraphsStatus Instance = new();

    private GetGraphsStatus()
    {
    }
}
