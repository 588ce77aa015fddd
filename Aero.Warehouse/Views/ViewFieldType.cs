namespace Aero.Warehouse.Views;

/// <summary>The kind of value a view's column holds, as a report or Looker reads it.</summary>
public enum ViewFieldType
{
    Text,
    Number,
    Date,
    Timestamp,
}
