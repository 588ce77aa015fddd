using System.Globalization;
using Aero.Streams.Extract;
using DuckDB.NET.Data;
using Xunit;

namespace Aero.Streams.Tests.Extract;

/// <summary>Each format read from real vega-datasets samples, checked against DuckDB reading the same file.</summary>
public sealed class FileFormatSpec : IDisposable
{
    private const string VegaJsonColumns = "columns={date: 'VARCHAR', delay: 'DOUBLE', distance: 'DOUBLE', origin: 'VARCHAR', destination: 'VARCHAR'}";
    private const string VegaDate = "strptime(date, '%Y/%m/%d %H:%M')";

    private readonly ExtractTestFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public async Task A_json_array_should_read_like_duckdb_reads_it()
    {
        var path = ExtractTestFiles.Sample("flights-5k.json");
        await AssertMatchesDuckDb(path, $"SELECT {Aggregates(VegaDate)} FROM read_json('{path}', format='array', {VegaJsonColumns})", expectedCount: 5_000);
    }

    [Fact]
    public async Task A_gzipped_json_array_should_read_like_duckdb_reads_it()
    {
        var path = files.Gzip(ExtractTestFiles.Sample("flights-5k.json"), "flights-5k.json.gz");
        await AssertMatchesDuckDb(path, $"SELECT {Aggregates(VegaDate)} FROM read_json('{path}', format='array', compression='gzip', {VegaJsonColumns})", expectedCount: 5_000);
    }

    [Fact]
    public async Task Ndjson_should_read_like_duckdb_reads_it()
    {
        var path = files.ToNdjson(ExtractTestFiles.Sample("flights-5k.json"), "flights-5k.ndjson");
        await AssertMatchesDuckDb(path, $"SELECT {Aggregates(VegaDate)} FROM read_json('{path}', format='newline_delimited', {VegaJsonColumns})", expectedCount: 5_000);
    }

    [Fact]
    public async Task Gzipped_jsonl_should_read_like_duckdb_reads_it()
    {
        var path = files.Gzip(files.ToNdjson(ExtractTestFiles.Sample("flights-5k.json"), "plain.jsonl"), "flights-5k.jsonl.gz");
        await AssertMatchesDuckDb(path, $"SELECT {Aggregates(VegaDate)} FROM read_json('{path}', format='newline_delimited', compression='gzip', {VegaJsonColumns})", expectedCount: 5_000);
    }

    [Fact]
    public async Task Csv_should_read_like_duckdb_reads_it()
    {
        var path = ExtractTestFiles.Sample("flights-2k.csv");
        await AssertMatchesDuckDb(path, $"SELECT {Aggregates(VegaDate)} FROM read_csv_auto('{path}', header=true, types={{'date': 'VARCHAR'}})", expectedCount: 2_000);
    }

    [Fact]
    public async Task Gzipped_csv_should_read_like_duckdb_reads_it()
    {
        var path = files.Gzip(ExtractTestFiles.Sample("flights-2k.csv"), "flights-2k.csv.gz");
        await AssertMatchesDuckDb(path, $"SELECT {Aggregates(VegaDate)} FROM read_csv_auto('{path}', header=true, types={{'date': 'VARCHAR'}})", expectedCount: 2_000);
    }

    [Fact]
    public async Task Parquet_should_read_like_duckdb_reads_it()
    {
        var path = ExtractTestFiles.Sample("flights-2k.parquet");
        await AssertMatchesDuckDb(path, $"SELECT {Aggregates("date")} FROM read_parquet('{path}')", expectedCount: 2_000);
    }

    [Fact]
    public async Task Gzipped_parquet_should_read_like_duckdb_reads_the_plain_file()
    {
        var plain = ExtractTestFiles.Sample("flights-2k.parquet");
        var path = files.Gzip(plain, "flights-2k.parquet.gz");
        await AssertMatchesDuckDb(path, $"SELECT {Aggregates("date")} FROM read_parquet('{plain}')", expectedCount: 2_000);
    }

    [Fact]
    public async Task A_parquet_row_should_keep_its_values_as_json_and_its_position()
    {
        var records = await files.Extract(ExtractTestFiles.Sample("flights-2k.parquet"));

        var first = records[0];
        Assert.Null(first.Rejection);
        Assert.Equal("""{"date":"2001-01-01T00:01:00.0000000Z","delay":33,"distance":2176,"origin":"LAS","destination":"PHL"}""", System.Text.Encoding.UTF8.GetString(first.Original));
        Assert.Equal("LAS-PHL-200101010001", first.Flight!.FlightId);
        Assert.Equal(new DateTime(2001, 1, 1, 0, 34, 0, DateTimeKind.Utc), first.Flight.ActualDeparture);
        Assert.Equal(new SourceLocation("flights-2k.parquet", ExtractTestFiles.Sample("flights-2k.parquet"), 0), first.Location);
        Assert.Equal(Enumerable.Range(0, 2_000).Select(i => (long)i), records.Select(r => r.Location.Position));
    }

    [Fact]
    public async Task A_csv_record_should_keep_its_line_and_its_line_number()
    {
        var records = await files.Extract(ExtractTestFiles.Sample("flights-2k.csv"));

        Assert.Equal("2001/01/01 08:21,14,1608,SJU,EWR", System.Text.Encoding.UTF8.GetString(records[0].Original));
        Assert.Equal(2, records[0].Location.Line);
        Assert.Equal(2_001, records[^1].Location.Line);
        Assert.Equal("SJU-EWR-200101010821", records[0].Flight!.FlightId);
    }

    [Fact]
    public async Task A_json_element_should_keep_its_exact_bytes()
    {
        var path = files.Write("spaced.json", "[\n  { \"date\" : \"2001/01/01 06:55\", \"delay\": -19, \"distance\": 1797, \"origin\": \"LAX\", \"destination\": \"BNA\" } ,\n{\"date\":\"2001/01/02 07:00\",\"delay\":1,\"distance\":2,\"origin\":\"A\",\"destination\":\"B\"}]");

        var records = await files.Extract(path);

        Assert.Equal("{ \"date\" : \"2001/01/01 06:55\", \"delay\": -19, \"distance\": 1797, \"origin\": \"LAX\", \"destination\": \"BNA\" }", System.Text.Encoding.UTF8.GetString(records[0].Original));
        Assert.Equal("{\"date\":\"2001/01/02 07:00\",\"delay\":1,\"distance\":2,\"origin\":\"A\",\"destination\":\"B\"}", System.Text.Encoding.UTF8.GetString(records[1].Original));
        Assert.All(records, r => Assert.False(r.IsRejected, r.Rejection));
    }

    [Fact]
    public async Task Canonical_snake_case_records_should_map_field_by_field()
    {
        var path = files.Write("canonical.ndjson", """
            {"flight_id":"UA-123-20240301","timestamp":"2024-03-01T10:15:00+01:00","airline":"UA","flight_number":123,"origin":"SFO","destination":"JFK","scheduled_departure":"2024-03-01T09:00:00Z","actual_departure":"2024-03-01T09:20:00Z","status":"departed","aircraft_type":"B738","latitude":37.6,"longitude":-122.4,"altitude":10500.5,"speed":420,"distance":2586,"delay":20}
            """);

        var flight = Assert.Single(await files.Extract(path)).Flight!;

        Assert.Equal("UA-123-20240301", flight.FlightId);
        Assert.Equal(new DateTime(2024, 3, 1, 9, 15, 0, DateTimeKind.Utc), flight.Timestamp);
        Assert.Equal("123", flight.FlightNumber);
        Assert.Equal(new DateTime(2024, 3, 1, 9, 20, 0, DateTimeKind.Utc), flight.ActualDeparture);
        Assert.Equal(("departed", "B738", 37.6, -122.4, 10500.5, 420d), (flight.Status, flight.AircraftType, flight.Latitude, flight.Longitude, flight.Altitude, flight.Speed));
    }

    [Fact]
    public async Task Csv_columns_should_map_by_the_configured_names()
    {
        var path = files.Write("renamed.csv", "when;late;miles;from;to\n2001/01/01 06:55;-19;1797;LAX;BNA\n");
        var settings = FileSourceSettings.Default.WithCsvDelimiter(';')
            .WithColumn("scheduled_departure", "when").WithColumn("delay", "late").WithColumn("distance", "miles")
            .WithColumn("origin", "from").WithColumn("destination", "to");

        var flight = Assert.Single(await files.Extract(path, settings)).Flight!;

        Assert.Equal(("LAX-BNA-200101010655", -19d, 1797d), (flight.FlightId, flight.Delay!.Value, flight.Distance!.Value));
    }

    private async Task AssertMatchesDuckDb(string path, string sql, int expectedCount)
    {
        var records = await files.Extract(path);
        Assert.All(records, r => Assert.False(r.IsRejected, r.Rejection));
        var flights = records.Select(r => r.Flight!).ToList();
        var ours = new Aggregate(
            flights.Count,
            flights.Sum(f => f.Delay ?? 0),
            flights.Sum(f => f.Distance ?? 0),
            flights.Select(f => f.Origin).Distinct().Count(),
            flights.Min(f => f.ScheduledDeparture!.Value),
            flights.Max(f => f.ScheduledDeparture!.Value));

        Assert.Equal(expectedCount, ours.Count);
        Assert.Equal(DuckDb(sql), ours);
    }

    private static string Aggregates(string date) =>
        $"count(*), sum(delay::DOUBLE), sum(distance::DOUBLE), count(DISTINCT origin), min({date}), max({date})";

    private static Aggregate DuckDb(string sql)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        return new Aggregate(
            Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture),
            Convert.ToDouble(reader.GetValue(1), CultureInfo.InvariantCulture),
            Convert.ToDouble(reader.GetValue(2), CultureInfo.InvariantCulture),
            Convert.ToInt32(reader.GetValue(3), CultureInfo.InvariantCulture),
            DateTime.SpecifyKind(reader.GetDateTime(4), DateTimeKind.Utc),
            DateTime.SpecifyKind(reader.GetDateTime(5), DateTimeKind.Utc));
    }

    private sealed record Aggregate(int Count, double SumDelay, double SumDistance, int DistinctOrigins, DateTime MinDate, DateTime MaxDate);
}
