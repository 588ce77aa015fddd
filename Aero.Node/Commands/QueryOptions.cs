namespace Aero.Node.Commands;

/// <summary>What <c>aero query</c> was asked to do.</summary>
public sealed record QueryOptions(string Sql, QueryFormat Format, string? ConfigPath, string? WarehouseKind);
