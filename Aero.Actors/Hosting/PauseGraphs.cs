namespace Aero.Actors.Hosting;

/// <summary>Drains and stops one graph, or all when <paramref name="Name"/> is null, until <see cref="ResumeGraphs"/>; answered with <see cref="GraphsStatus"/>.</summary>
public sealed record PauseGraphs(string? Name, TimeSpan Timeout);
