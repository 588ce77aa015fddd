namespace Aero.Streams.Extract.Formats;

/// <summary>
/// How one field of the record is made from a file's columns. The parts given are tried in this order and the first
/// that yields a value wins: <see cref="Columns"/>, <see cref="Local"/>, <see cref="Shift"/>, <see cref="Constant"/>.
/// </summary>
internal sealed record FieldRule
{
    /// <summary>Columns holding the value; the first one the record has is read.</summary>
    public IReadOnlyList<string> Columns { get; init; } = [];

    public LocalTimeRule? Local { get; init; }

    public ShiftRule? Shift { get; init; }

    /// <summary>The value when nothing else gave one, as text read as the field's type.</summary>
    public string? Constant { get; init; }

    public IEnumerable<string> ColumnNames =>
        Columns.Concat(Local is { } local ? local.Date.Concat(local.Time).Concat(local.NearMinutes) : []).Concat(Shift?.Minutes ?? []);

    public static FieldRule Column(string column) => new() { Columns = [column] };
}
