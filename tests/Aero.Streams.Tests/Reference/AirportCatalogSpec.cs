using Aero.Streams.Reference;
using DuckDB.NET.Data;
using Xunit;

namespace Aero.Streams.Tests.Reference;

public sealed class AirportCatalogSpec
{
    private static readonly string Path = System.IO.Path.Combine(AppContext.BaseDirectory, "data", "sample", "airports.csv");

    [Fact]
    public void The_catalog_should_hold_every_airport_that_duckdb_reads_from_the_same_file()
    {
        var catalog = AirportCatalog.Load(Path);

        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(DISTINCT iata) FROM read_csv_auto('{Path}', header = true)";
        Assert.Equal(Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture), catalog.Count);
    }

    [Fact]
    public void Quoted_names_with_commas_should_be_read_whole()
    {
        var catalog = AirportCatalog.Load(Path);

        var batonRouge = catalog.Find("BTR");

        Assert.NotNull(batonRouge);
        Assert.Equal("Baton Rouge Metropolitan, Ryan", batonRouge.Name);
        Assert.Equal("LA", batonRouge.State);
        Assert.Equal(30.53316083, batonRouge.Latitude, precision: 6);
        Assert.Equal(-91.14963444, batonRouge.Longitude, precision: 6);
        Assert.Null(catalog.Find("XXX"));
    }

    // issue 15 §2: the bundled subset places every flight Aero ships and tests.
    [Fact]
    public async Task The_bundled_airports_should_have_a_time_zone_for_every_airport_of_the_samples_and_the_bts_sample()
    {
        using var files = new Aero.Streams.Tests.Extract.ExtractTestFiles();
        var codes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sample in new[] { "flights-5k.json", "flights-2k.csv", "flights-2k.parquet" })
        {
            foreach (var record in await files.Extract(Aero.Streams.Tests.Extract.ExtractTestFiles.Sample(sample)))
            {
                codes.Add(record.Flight!.Origin!);
                codes.Add(record.Flight!.Destination!);
            }
        }

        codes.UnionWith(Aero.Streams.Tests.Extract.Bts.BtsSample.Airports.Select(a => a.Code));
        var bundled = AirportCatalog.Bundled;

        Assert.True(codes.Count > 200);
        Assert.DoesNotContain(codes, code => bundled.TimeZoneOf(code) is null);
        Assert.All(Aero.Streams.Tests.Extract.Bts.BtsSample.Airports, a => Assert.Equal(a.Zone, bundled.Find(a.Code)!.TimeZone));
        var indianapolis = bundled.Find("IND")!;
        Assert.Equal(("KIND", "America/Indiana/Indianapolis", "IN"), (indianapolis.Icao, indianapolis.TimeZone, indianapolis.State));
    }

    [Fact]
    public void The_vega_airports_file_should_still_load_without_time_zones()
    {
        var catalog = AirportCatalog.Load(Path);

        Assert.Null(catalog.Find("BTR")!.TimeZone);
        Assert.Null(catalog.TimeZoneOf("BTR"));
    }

    [Fact]
    public void The_bundled_airlines_should_map_names_to_codes_and_leave_unknown_names_alone()
    {
        var airlines = AirlineCatalog.Bundled;

        Assert.Equal(
            ("AA", "DL", "B6", "U2"),
            (airlines.CodeOf("American Airlines"), airlines.CodeOf("delta air lines"), airlines.CodeOf("JetBlue Airways"), airlines.CodeOf("easyJet")));
        Assert.Null(airlines.CodeOf("Skyline Airways"));
    }
}
