using System.Collections.Frozen;
using nietras.SeparatedValues;

namespace Aero.Streams.Reference;

/// <summary>
/// Airports by IATA code, loaded once from a CSV with the columns iata, name, city, state, country, latitude, longitude
/// (vega-datasets' airports.csv) and, optionally, icao and tz (an IANA time zone id; data/reference/airports.csv), for
/// enrichment and for placing local times. Read-only and safe to share between streams.
/// </summary>
public sealed class AirportCatalog
{
    private static readonly Lazy<AirportCatalog> BundledCatalog = new(() => ReferenceCsv.ReadBundled("airports.csv", reader => Read(reader, "the bundled airports.csv")));

    private readonly FrozenDictionary<string, Airport> _byIata;
    private readonly FrozenDictionary<string, TimeZoneInfo> _zones;

    private AirportCatalog(FrozenDictionary<string, Airport> byIata, FrozenDictionary<string, TimeZoneInfo> zones)
    {
        _byIata = byIata;
        _zones = zones;
    }

    public int Count => _byIata.Count;

    /// <summary>The subset bundled with Aero: U.S. airports (territories included) with ICAO codes and time zones (data/reference/).</summary>
    public static AirportCatalog Bundled => BundledCatalog.Value;

    public static AirportCatalog Load(string path) => ReferenceCsv.ReadFile(path, reader => Read(reader, path));

    private static AirportCatalog Read(SepReader reader, string source)
    {
        var hasIcao = reader.Header.TryIndexOf("icao", out _);
        var hasZone = reader.Header.TryIndexOf("tz", out _);
        var airports = new Dictionary<string, Airport>(StringComparer.Ordinal);
        var zones = new Dictionary<string, TimeZoneInfo>(StringComparer.Ordinal);
        var zonesById = new Dictionary<string, TimeZoneInfo>(StringComparer.Ordinal);
        foreach (var row in reader)
        {
            var iata = row["iata"].ToString().Trim();
            if (iata.Length == 0)
            {
                throw new FormatException($"{source}:{row.LineNumberFrom}: an airport without an iata code");
            }

            var zone = hasZone ? NullIfEmpty(row["tz"].ToString().Trim()) : null;
            airports[iata] = new Airport(
                iata,
                row["name"].ToString(),
                NullIfEmpty(row["city"].ToString()),
                NullIfEmpty(row["state"].ToString()),
                NullIfEmpty(row["country"].ToString()),
                row["latitude"].Parse<double>(),
                row["longitude"].Parse<double>())
            {
                Icao = hasIcao ? NullIfEmpty(row["icao"].ToString().Trim()) : null,
                TimeZone = zone,
            };
            if (zone is not null)
            {
                // A zone this machine's time zone database lacks would misplace every local time there: refuse the file.
                if (!zonesById.TryGetValue(zone, out var info))
                {
                    info = TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var found)
                        ? found
                        : throw new FormatException($"{source}:{row.LineNumberFrom}: {iata}'s time zone \"{zone}\" is not in this machine's time zone database");
                    zonesById[zone] = info;
                }

                zones[iata] = info;
            }
        }

        return new AirportCatalog(airports.ToFrozenDictionary(StringComparer.Ordinal), zones.ToFrozenDictionary(StringComparer.Ordinal));
    }

    public Airport? Find(string? iata) => iata is not null && _byIata.TryGetValue(iata, out var airport) ? airport : null;

    /// <summary>The time zone of the airport, or null when the catalog has no zone for it.</summary>
    public TimeZoneInfo? TimeZoneOf(string? iata) => iata is not null && _zones.TryGetValue(iata, out var zone) ? zone : null;

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
