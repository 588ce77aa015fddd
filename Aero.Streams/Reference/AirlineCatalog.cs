using System.Collections.Frozen;
using nietras.SeparatedValues;

namespace Aero.Streams.Reference;

/// <summary>
/// Airlines from a CSV with the columns iata, icao, name (data/reference/airlines.csv): an input that names an airline
/// without its code gets the code (<c>American Airlines</c> → <c>AA</c>). A name that several airlines share, counting
/// active ones only when one of them is, maps to no code rather than a guessed one. Read-only and safe to share.
/// </summary>
public sealed class AirlineCatalog
{
    private static readonly Lazy<AirlineCatalog> BundledCatalog = new(() => ReferenceCsv.ReadBundled("airlines.csv", Read));

    private readonly FrozenDictionary<string, string> _codeByName;

    private AirlineCatalog(FrozenDictionary<string, string> codeByName) => _codeByName = codeByName;

    /// <summary>Names that map to one code.</summary>
    public int Count => _codeByName.Count;

    /// <summary>The subset bundled with Aero: the active airlines with an IATA code (data/reference/).</summary>
    public static AirlineCatalog Bundled => BundledCatalog.Value;

    public static AirlineCatalog Load(string path) => ReferenceCsv.ReadFile(path, Read);

    private static AirlineCatalog Read(SepReader reader)
    {
        var hasActive = reader.Header.TryIndexOf("active", out _);
        var byName = new Dictionary<string, List<(string Code, bool Active)>>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in reader)
        {
            var name = row["name"].ToString().Trim();
            var iata = row["iata"].ToString().Trim();
            var code = iata.Length > 0 ? iata : row["icao"].ToString().Trim();
            if (name.Length == 0 || code.Length == 0)
            {
                continue;
            }

            var active = !hasActive || row["active"].ToString().Trim() == "Y";
            if (!byName.TryGetValue(name, out var codes))
            {
                byName[name] = codes = [];
            }

            codes.Add((code, active));
        }

        var unique = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, codes) in byName)
        {
            var candidates = codes.Any(c => c.Active) ? codes.Where(c => c.Active).ToList() : codes;
            if (candidates.Select(c => c.Code).Distinct(StringComparer.Ordinal).Count() == 1)
            {
                unique[name] = candidates[0].Code;
            }
        }

        return new AirlineCatalog(unique.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>The airline's IATA code (or ICAO, when it has no IATA code), or null when the name is unknown or ambiguous.</summary>
    public string? CodeOf(string? name) => name is not null && _codeByName.TryGetValue(name.Trim(), out var code) ? code : null;
}
