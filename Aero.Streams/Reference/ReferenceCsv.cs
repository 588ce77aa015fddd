using nietras.SeparatedValues;

namespace Aero.Streams.Reference;

/// <summary>Opens the reference CSVs, from a file or bundled in this assembly (data/reference/), quotes unescaped.</summary>
internal static class ReferenceCsv
{
    public static T ReadFile<T>(string path, Func<SepReader, T> read)
    {
        using var reader = Sep.Reader(options => options with { Unescape = true }).FromFile(path);
        return read(reader);
    }

    public static T ReadBundled<T>(string name, Func<SepReader, T> read)
    {
        using var stream = typeof(ReferenceCsv).Assembly.GetManifestResourceStream($"Aero.Streams.Reference.{name}")
            ?? throw new InvalidOperationException($"Aero.Streams lacks its bundled {name}");
        using var text = new StreamReader(stream);
        using var reader = Sep.Reader(options => options with { Unescape = true }).From(text);
        return read(reader);
    }
}
