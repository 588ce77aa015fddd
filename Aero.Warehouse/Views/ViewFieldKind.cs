namespace Aero.Warehouse.Views;

/// <summary>How a view's column is read: a dimension to group or filter by, or a count or total that adds up across rows.</summary>
public enum ViewFieldKind
{
    /// <summary>A value to group by (also a per-row ratio such as an average, which does not add up).</summary>
    Dimension,

    /// <summary>A count or total: the sum over any set of the view's rows is the value for that set.</summary>
    Additive,
}
