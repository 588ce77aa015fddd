namespace Aero.Actors.Hosting;

/// <summary>Starts paused graphs again (one, or all when <paramref name="Name"/> is null); answered with <see cref="GraphsStatus"/>.</summary>
public sealed record ResumeGraphs(string? Name);
