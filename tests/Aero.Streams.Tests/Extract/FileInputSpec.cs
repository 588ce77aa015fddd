using Aero.Streams.Extract;
using Xunit;

namespace Aero.Streams.Tests.Extract;

public sealed class FileInputSpec : IDisposable
{
    private const string Header = "date,delay,distance,origin,destination\n";

    private readonly ExtractTestFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public async Task A_directory_should_read_its_supported_files_sorted_by_name()
    {
        files.Write("in/b.csv", Header + "2001/01/01 06:55,1,10,B,X\n");
        files.Write("in/a.ndjson", """{"date":"2001/01/01 06:55","origin":"A","destination":"X"}""");
        files.Write("in/c.json", """[{"date":"2001/01/01 06:55","origin":"C","destination":"X"}]""");
        files.Write("in/notes.txt", "not flights");
        files.Write("in/sub/d.csv", Header + "2001/01/01 06:55,1,10,D,X\n");

        var records = await files.Extract(Path.Combine(files.Directory, "in"));

        Assert.Equal(["A", "B", "C"], records.Select(r => r.Flight!.Origin));
        Assert.Equal(["a.ndjson", "b.csv", "c.json"], records.Select(r => r.Location.Source));
        Assert.All(records, r => Assert.Equal(0, r.Location.Position));
    }

    [Fact]
    public async Task A_glob_should_read_matching_files_in_subdirectories()
    {
        files.Write("data/2001/jan.csv", Header + "2001/01/01 06:55,1,10,JAN,X\n");
        files.Gzip(files.Write("data/feb.tmp", Header + "2001/02/01 06:55,1,10,FEB,X\n"), "data/2001/feb.csv.gz");
        files.Write("data/2002/mar.csv", Header + "2002/03/01 06:55,1,10,MAR,X\n");
        files.Write("data/2002/mar.json", "[]");

        var all = await files.Extract(Path.Combine(files.Directory, "data", "**", "*.csv*"));
        var one = await files.Extract(Path.Combine(files.Directory, "data", "2002", "*.csv"));

        Assert.Equal(["FEB", "JAN", "MAR"], all.Select(r => r.Flight!.Origin));
        Assert.Equal(["MAR"], one.Select(r => r.Flight!.Origin));
    }

    // Issue 13 §1.2: event ids come from content, so files of one name no longer collide and are all read.
    [Fact]
    public async Task A_glob_matching_two_files_of_one_name_should_read_both_with_their_own_event_ids()
    {
        files.Write("parts/2001/jan.csv", Header + "2001/01/01 06:55,1,10,JAN,X\n");
        files.Write("parts/2002/jan.csv", Header + "2002/01/01 06:55,1,10,JAN,X\n");

        var records = await files.Extract(Path.Combine(files.Directory, "parts", "**", "*.csv"));

        Assert.Equal(["JAN-X-200101010655", "JAN-X-200201010655"], records.Select(r => r.Flight!.FlightId));
        Assert.Equal(2, records.Select(r => r.Flight!.EventId).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task A_gz_name_without_gzip_magic_should_be_read_as_plain_text()
    {
        var records = await files.Extract(files.Write("plain.csv.gz", Header + "2001/01/01 06:55,1,10,A,B\n"));

        Assert.Equal("A-B-200101010655", Assert.Single(records).Flight!.FlightId);
    }

    [Fact]
    public void A_missing_input_or_unsupported_file_should_fail_at_creation()
    {
        Assert.Throws<FileNotFoundException>(() => FlightFileSource.Create(Path.Combine(files.Directory, "nope.csv"), FileSourceSettings.Default));
        Assert.Throws<ArgumentException>(() => FlightFileSource.Create(files.Write("x.txt", "x"), FileSourceSettings.Default));
    }

    [Fact]
    public void Settings_should_refuse_unknown_fields_and_tiny_record_limits()
    {
        Assert.Throws<ArgumentException>(() => FileSourceSettings.Default.WithColumn("event_id", "id"));
        Assert.Contains("aero.extract.files.max-record-bytes", Assert.Throws<Akka.Configuration.ConfigurationException>(() => FileSourceSettings.Default.WithMaxRecordBytes(0)).Message);
        Assert.Equal("when", FileSourceSettings.Default.WithColumn("timestamp", "when").Columns["timestamp"]);
        Assert.Empty(FileSourceSettings.Default.Columns);
    }

    [Fact]
    public async Task The_source_should_be_reusable_and_give_the_same_event_ids_each_time()
    {
        var source = FlightFileSource.Create(ExtractTestFiles.Sample("flights-2k.csv"), FileSourceSettings.Default);

        var first = await files.Run(source);
        var second = await files.Run(source);

        Assert.Equal(first.Select(r => r.Flight!.EventId), second.Select(r => r.Flight!.EventId));
        Assert.Equal(2_000, first.Select(r => r.Flight!.EventId).Distinct().Count());
    }
}
