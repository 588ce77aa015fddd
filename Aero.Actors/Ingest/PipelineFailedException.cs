namespace Aero.Actors.Ingest;

/// <summary>The hosted stream failed (or could not start); thrown inside the actor so its supervisor decides (restart with backoff).</summary>
public sealed class PipelineFailedException : Exception
{
    public PipelineFailedException(string pipeline, Exception cause)
        : base($"Pipeline {pipeline} failed: {cause.Message}", cause) => Pipeline = pipeline;

    /// <summary>The failed pipeline's name (its graph's).</summary>
    public string Pipeline { get; }
}
