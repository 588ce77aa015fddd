namespace Aero.Actors.Ingest;

/// <summary>The pipeline drained: every record it emitted reached the sink and was committed.</summary>
public sealed record PipelineDrained
{
    public static readonly PipelineDrained Instance = new();

    private PipelineDrained()
    {
    }
}
