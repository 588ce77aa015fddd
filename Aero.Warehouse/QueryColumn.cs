namespace Aero.Warehouse;

/// <summary>One column of a <see cref="QueryResult"/>: its name and the warehouse's name for its type.</summary>
public sealed record QueryColumn(string Name, string Type);
