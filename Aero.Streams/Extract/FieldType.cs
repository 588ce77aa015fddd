namespace Aero.Streams.Extract;

/// <summary>What a flight field's value is read as.</summary>
internal enum FieldType
{
    Text,
    Number,
    Time,

    /// <summary>A yes/no: a number (0 is no, BTS writes 1.00), or true/false.</summary>
    Flag,
}
