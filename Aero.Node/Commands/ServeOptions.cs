using Aero.Node.Configuration;

namespace Aero.Node.Commands;

/// <summary>What <c>aero serve</c> was asked to do.</summary>
public sealed record ServeOptions(string? Bootstrap, string? Config, LogFormat? LogFormat);
