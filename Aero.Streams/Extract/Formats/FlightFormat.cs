using System.Collections.Frozen;

namespace Aero.Streams.Extract.Formats;

/// <summary>
/// A named file layout from <c>aero.extract.files.formats</c>: the headers that identify it, and how its columns make the
/// record's fields (<see cref="FlightFormats"/> reads and checks it; docs/FLIGHT_RECORD.md, "Formats").
/// </summary>
public sealed class FlightFormat
{
    internal FlightFormat(string name, IReadOnlyList<IReadOnlyList<string>> headers, FrozenDictionary<string, FieldRule> rules)
    {
        Name = name;
        Headers = headers;
        Rules = rules;
    }

    public string Name { get; }

    /// <summary>Column lists; a file whose first record has every column of one of them is in this format.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Headers { get; }

    /// <summary>The fields this format makes otherwise than from their canonical column.</summary>
    internal FrozenDictionary<string, FieldRule> Rules { get; }

    /// <summary>Every column this format may read.</summary>
    public IEnumerable<string> ColumnNames => Rules.Values.SelectMany(rule => rule.ColumnNames).Concat(Headers.SelectMany(header => header));

    internal bool Recognizes(IFieldReader fields) =>
        Headers.Any(header => header.All(column => fields.Get(column).Kind != FieldKind.Missing));
}
