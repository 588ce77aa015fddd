namespace Aero.FakeSchemaRegistry;

public sealed record FakeSchemaRegistryOptions
{
    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; }

    /// <summary>When set (<c>user:password</c>), every request must carry it as HTTP basic authentication, else 401.</summary>
    public string? BasicAuth { get; init; }

    /// <summary>The global compatibility level, as the registry names it (BACKWARD by default, like Confluent's).</summary>
    public string GlobalCompatibility { get; init; } = "BACKWARD";
}
