namespace Aero.Actors.Ingest;

/// <summary>The hosted stream failed; thrown inside the actor so its supervisor decides (restart with backoff).</summary>
public sealed class PipelineFailedException : Exception
{
    public PipelineFailedException(string pipeline, Exception cause)
        : base($"Pipeline {pipeline} failed: {cause.Message}", cause)
    {
    }
}
