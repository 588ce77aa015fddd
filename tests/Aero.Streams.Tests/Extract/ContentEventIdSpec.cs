using System.Text;
using System.Text.Json;
using Aero.Streams.Extract;
using Parquet;
using Parquet.Schema;
using Xunit;

namespace Aero.Streams.Tests.Extract;

/// <summary>
/// Issue 13 §1.2: event ids come from a record's content, not from the file's name and the record's position, so
/// files of one name with different content never share an id, and the same content keeps its ids wherever it is.
/// </summary>
public sealed class ContentEventIdSpec : IDisposable
{
    private const string Header = "date,delay,distance,origin,destination\n";
    private readonly ExtractTestFiles files = new();

    [Theory]
    [InlineData("flights.json")]
    [InlineData("flights.ndjson")]
    [InlineData("flights.csv")]
    public async Task Files_of_one_name_with_different_content_should_get_disjoint_event_ids(string name)
    {
        var flights = SampleElements().Take(200).ToArray();
        var a = await files.Extract(Write(Path.Combine("a", name), flights[..100]));
        var b = await files.Extract(Write(Path.Combine("b", name), flights[100..]));

        var ids = a.Concat(b).Select(r => r.Flight!.EventId).ToArray();
        Assert.Equal(200, ids.Length);
        Assert.Equal(200, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task Parquet_files_of_one_name_with_different_rows_should_get_disjoint_event_ids()
    {
        var a = await files.Extract(await WriteParquetAsync(Path.Combine("a", "flights.parquet"), ("LAX", "BNA", 5), ("SFO", "JFK", 7)));
        var b = await files.Extract(await WriteParquetAsync(Path.Combine("b", "flights.parquet"), ("ORD", "DEN", 5), ("SEA", "BOS", -3)));

        var ids = a.Concat(b).Select(r => r.Flight!.EventId).ToArray();
        Assert.Equal(4, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("flights-5k.json")]
    [InlineData("flights-2k.csv")]
    [InlineData("flights-2k.parquet")]
    public async Task The_same_content_renamed_or_gzipped_should_get_the_same_event_ids(string sample)
    {
        var original = ExtractTestFiles.Sample(sample);
        var renamed = Path.Combine(files.Directory, "renamed", "daily-export" + Path.GetExtension(sample));
        Directory.CreateDirectory(Path.GetDirectoryName(renamed)!);
        File.Copy(original, renamed);
        var gzipped = files.Gzip(original, "zipped" + Path.GetExtension(sample) + ".gz");

        var ids = await Ids(original);
        Assert.Equal(ids, await Ids(original));
        Assert.Equal(ids, await Ids(renamed));
        Assert.Equal(ids, await Ids(gzipped));
        Assert.Equal(ids.Length, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task The_same_elements_as_a_json_array_or_as_ndjson_should_get_the_same_event_ids()
    {
        var array = files.Write("flights.json", "[\n" + string.Join(",\n  ", SampleElements().Take(50)) + "\n]");
        var ndjson = files.ToNdjson(array, "flights.ndjson");

        Assert.Equal(await Ids(array), await Ids(ndjson));
    }

    [Fact]
    public async Task Identical_records_in_one_file_should_stay_distinct_flights_with_the_same_ids_on_every_extraction()
    {
        // The vega data names no carrier or flight number: two identical rows may well be two flights.
        const string Row = "2001/01/01 06:55,-19,1797,LAX,BNA\n";
        var first = files.Write("twins.csv", Header + Row + "2001/01/02 07:00,3,300,SFO,JFK\n" + Row + Row);
        var second = files.Write(Path.Combine("again", "twins-renamed.csv"), Header + Row + "2001/01/02 07:00,3,300,SFO,JFK\n" + Row + Row);

        var ids = await Ids(first);

        Assert.Equal(4, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(ids, await Ids(second));
    }

    [Fact]
    public async Task The_same_csv_row_under_another_header_should_get_another_event_id()
    {
        var row = "2001/01/01 06:55,-19,1797,LAX,BNA\n";
        var ids = await Ids(files.Write("a.csv", Header + row));
        var swapped = await Ids(files.Write("b.csv", "date,delay,distance,destination,origin\n" + row));

        Assert.NotEqual(ids, swapped);
    }

    public void Dispose() => files.Dispose();

    private async Task<string[]> Ids(string path) => [.. (await files.Extract(path)).Select(r => r.Flight!.EventId)];

    private static IEnumerable<string> SampleElements()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(ExtractTestFiles.Sample("flights-5k.json")));
        return [.. document.RootElement.EnumerateArray().Select(e => e.GetRawText())];
    }

    private string Write(string name, string[] elements) => Path.GetExtension(name) switch
    {
        ".json" => files.Write(name, "[" + string.Join(",\n", elements) + "]"),
        ".ndjson" => files.Write(name, string.Join('\n', elements) + "\n"),
        _ => files.Write(name, Header + string.Concat(elements.Select(CsvRow))),
    };

    private static string CsvRow(string element)
    {
        using var document = JsonDocument.Parse(element);
        var e = document.RootElement;
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{e.GetProperty("date").GetString()},{e.GetProperty("delay").GetDouble()},{e.GetProperty("distance").GetDouble()},{e.GetProperty("origin").GetString()},{e.GetProperty("destination").GetString()}\n");
    }

    private async Task<string> WriteParquetAsync(string name, params (string Origin, string Destination, long Delay)[] rows)
    {
        var date = new DataField<string>("date");
        var delay = new DataField<long>("delay");
        var origin = new DataField<string>("origin");
        var destination = new DataField<string>("destination");
        var path = files.Write(name, []);
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(date, delay, origin, destination), stream);
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(date, [.. rows.Select(_ => "2001/01/01 06:55")]);
        await group.WriteAsync<long>(delay, rows.Select(r => r.Delay).ToArray().AsMemory());
        await group.WriteAsync(origin, [.. rows.Select(r => r.Origin)]);
        await group.WriteAsync(destination, [.. rows.Select(r => r.Destination)]);
        return path;
    }
}
