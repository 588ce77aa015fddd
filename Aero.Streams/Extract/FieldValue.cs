namespace Aero.Streams.Extract;

internal enum FieldKind
{
    Missing,
    Null,
    Text,
    Number,
    Date,

    /// <summary>A value of a type no flight field takes (a JSON bool, object or array); <see cref="FieldValue.Text"/> names it.</summary>
    Other,
}

/// <summary>One field of one input record, as the file holds it, before it is converted to the field's type.</summary>
internal readonly record struct FieldValue(FieldKind Kind, string? Text = null, double Number = 0, DateTime Date = default)
{
    public static FieldValue Missing => default;

    public static FieldValue Null => new(FieldKind.Null);

    public static FieldValue OfText(string? text) => text is null ? Null : new(FieldKind.Text, text);

    public static FieldValue OfNumber(double number) => new(FieldKind.Number, Number: number);

    public static FieldValue OfDate(DateTime date) => new(FieldKind.Date, Date: date);
}
