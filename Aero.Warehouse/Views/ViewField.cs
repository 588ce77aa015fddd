namespace Aero.Warehouse.Views;

/// <summary>One column of a <see cref="WarehouseView"/>: its name, kind and type, and what it means.</summary>
public sealed record ViewField(string Name, ViewFieldKind Kind, ViewFieldType Type, string Description);
