namespace Aero.Warehouse;

/// <summary>
/// A column's type in backend-neutral terms (named after SQL types); each backend maps it to its own
/// (TIMESTAMP or TIMESTAMPTZ, JSON or JSONB, ...).
/// </summary>
public enum FlightColumnType
{
    Text,
    Int4,
    BigInt,
    Float8,
    Timestamp,
    Json,
    Date,
    Boolean,
}
