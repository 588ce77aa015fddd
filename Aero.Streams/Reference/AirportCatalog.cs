using System.Collections.Frozen;
using nietras.SeparatedValues;

namespace Aero.Streams.Reference;

/// <summary>
/// Airports by IATA code, loaded once from a vega-datasets style CSV (iata, name, city, state, country,
/// latitude, longitude) for enrichment. Read-only and safe to share between streams.
/// </summary>
public sealed class AirportCatalog
{
    private readonly FrozenDictionary<string, Airport> _byIata;

    private AirportCatalog(FrozenDictionary<string, Airport> byIata) => _byIata = byIata;

    public int Count => _byIata.Count;

    public static AirportCatalog Load(string path)
    {
        using var reader = Sep.Reader(options => options with { Unescape = true }).FromFile(path);
        var airports = new Dictionary<string, Airport>(StringComparer.Ordinal);
        foreach (var row in reader)
        {
            var iata = row["iata"].ToString().Trim();
            if (iata.Length == 0)
            {
                throw new FormatException($"{path}:{row.LineNumberFrom}: an airport without an iata code");
            }

            airports[iata] = new Airport(
                iata,
                row["name"].ToString(),
                NullIfEmpty(row["city"].ToString()),
                NullIfEmpty(row["state"].ToString()),
                NullIfEmpty(row["country"].ToString()),
                row["latitude"].Parse<double>(),
                row["longitude"].Parse<double>());
        }

        return new AirportCatalog(airports.ToFrozenDictionary(StringComparer.Ordinal));
    }

    public Airport? Find(string? iata) => iata is not null && _byIata.TryGetValue(iata, out var airport) ? airport : null;

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
