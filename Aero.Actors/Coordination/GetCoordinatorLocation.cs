namespace Aero.Actors.Coordination;

/// <summary>Asks the coordinator where it runs; answered with <see cref="CoordinatorLocation"/>.</summary>
public sealed record GetCoordinatorLocation
{
    public static readonly GetCoordinatorLocation Instance = new();

    private GetCoordinatorLocation()
    {
    }
}
