namespace Aero.Actors.Ingest;

/// <summary>Asks a pipeline to stop consuming, finish in-flight records, commit and stop; answered with <see cref="PipelineDrained"/>.</summary>
public sealed record DrainPipeline(TimeSpan Timeout);
