namespace Aero.Actors.Jobs;

/// <summary>Answered with <see cref="JobsOverview"/>.</summary>
public sealed record GetJobs : IJobCommand
{
    public static readonly GetJobs Instance = new();

    private GetJobs()
    {
    }
}
