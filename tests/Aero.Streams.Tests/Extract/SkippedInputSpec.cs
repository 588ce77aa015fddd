using Aero.Streams.Extract;
using Xunit;

namespace Aero.Streams.Tests.Extract;

/// <summary>No silent loss: what an input names but the extract does not read is listed with the reason.</summary>
public sealed class SkippedInputSpec : IDisposable
{
    private const string Header = "date,delay,distance,origin,destination\n";

    private readonly ExtractTestFiles files = new();

    public void Dispose() => files.Dispose();

    // No silent loss: a directory's unsupported files and its subdirectories used to be left out without a word.
    [Fact]
    public void A_directory_should_name_each_entry_it_skips_and_why()
    {
        files.Write("in/a.csv", Header + "2001/01/01 06:55,1,10,A,X\n");
        var notes = files.Write("in/notes.txt", "not flights");
        var sub = Path.GetDirectoryName(files.Write("in/sub/d.csv", Header + "2001/01/01 06:55,1,10,D,X\n"))!;

        var skipped = FlightFileSource.Skipped(Path.Combine(files.Directory, "in"));

        Assert.Equal([notes, sub], skipped.Select(s => s.Path));
        Assert.Contains("not a supported format", skipped[0].Reason, StringComparison.Ordinal);
        Assert.Contains("subdirectory", skipped[1].Reason, StringComparison.Ordinal);
        Assert.Equal([Path.Combine(files.Directory, "in", "a.csv")], FlightFileSource.Files(Path.Combine(files.Directory, "in")));
    }

    // No silent loss: a glob that matches a file of no supported format says so too.
    [Fact]
    public void A_glob_should_name_the_matched_files_it_skips()
    {
        files.Write("data/jan.csv", Header + "2001/01/01 06:55,1,10,JAN,X\n");
        var backup = files.Write("data/jan.csv.bak", Header);

        var skipped = FlightFileSource.Skipped(Path.Combine(files.Directory, "data", "jan.*"));

        Assert.Equal(backup, Assert.Single(skipped).Path);
    }

    [Fact]
    public void A_file_input_should_skip_nothing()
    {
        Assert.Empty(FlightFileSource.Skipped(files.Write("one.csv", Header)));
    }

    // No silent loss: the tally counts skipped entries, and its summary line says how many.
    [Fact]
    public void The_tally_should_count_skipped_entries_in_its_summary()
    {
        var tally = new ExtractTally();

        tally.CountSkipped(new SkippedInput("in/notes.txt", "not a supported format"));

        Assert.Equal(1, tally.Skipped);
        Assert.Contains(" skipped=1", tally.ToString(), StringComparison.Ordinal);
    }
}
