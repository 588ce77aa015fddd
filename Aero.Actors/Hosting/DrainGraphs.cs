namespace Aero.Actors.Hosting;

/// <summary>Asks every running graph to drain (stop consuming, finish in-flight records, commit); answered with <see cref="GraphsStatus"/> once all have.</summary>
public sealed record DrainGraphs(TimeSpan Timeout);
