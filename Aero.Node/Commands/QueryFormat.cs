using Aero.Warehouse.BigQuery;

namespace Aero.Node.Commands;

/// <summary>How <c>aero query</c> prints its result.</summary>
public enum QueryFormat
{
    Table,
    Csv,
    Json,
}
