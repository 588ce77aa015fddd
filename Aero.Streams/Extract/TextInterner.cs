namespace Aero.Streams.Extract;

/// <summary>
/// One string per distinct short text of a file: flight files repeat a few hundred codes (airports, airlines,
/// statuses) millions of times, and a string per occurrence only feeds the garbage collector. Bounded, so a column of
/// unique values (free text, ids) costs a lookup, not memory.
/// </summary>
internal sealed class TextInterner
{
    // Codes are short; longer values are rarely repeated and would make the table costly to fill.
    private const int MaxLength = 16;

    private const int MaxEntries = 4096;

    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public TextInterner() => _bySpan = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    public string Intern(ReadOnlySpan<char> text)
    {
        if (text.Length > MaxLength)
        {
            return text.ToString();
        }

        if (_bySpan.TryGetValue(text, out var known))
        {
            return known;
        }

        var created = text.ToString();
        if (_strings.Count < MaxEntries)
        {
            _strings.Add(created, created);
        }

        return created;
    }
}
