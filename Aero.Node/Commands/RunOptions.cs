using Aero.Node.Configuration;

namespace Aero.Node.Commands;

/// <summary>What <c>aero run</c> was asked to do.</summary>
public sealed record RunOptions(bool Once, string? Bootstrap, bool NoExtract, string? Input, string? Config, string? WarehousePath, bool Verbose, LogFormat? LogFormat, string? Format = null, bool Archive = false);
