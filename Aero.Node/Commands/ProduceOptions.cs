namespace Aero.Node.Commands;

/// <summary>What <c>aero produce</c> was asked to do.</summary>
public sealed record ProduceOptions(string Input, string? Topic, int Rate, string? Bootstrap, string? Compression, string? Config, string? Format = null);
