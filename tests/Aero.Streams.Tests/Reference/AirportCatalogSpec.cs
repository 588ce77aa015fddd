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
}
