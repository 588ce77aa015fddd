using Xunit;

namespace Aero.Node.Tests;

/// <summary>No silent loss: <c>aero produce</c> says which entries of a directory it left unread, and counts them.</summary>
public sealed class ProduceSkippedInputSpec : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("aero-produce-skipped-").FullName;

    // No silent loss: a directory's unsupported files and subdirectories used to be left out without a word.
    [Fact]
    public async Task Produce_from_a_directory_should_warn_of_each_entry_it_skips_and_count_them_in_the_summary()
    {
        var bootstrapFile = Path.Combine(_directory, "bootstrap");
        using var serve = AeroProcess.StartAero(_directory, null, "kafka", "serve", "--partitions", "2", "--bootstrap-file", bootstrapFile);
        var bootstrap = await KafkaServeSpec.BootstrapFrom(bootstrapFile, serve);
        var input = Directory.CreateDirectory(Path.Combine(_directory, "in")).FullName;
        await File.WriteAllLinesAsync(Path.Combine(input, "flights.csv"), ["date,delay,distance,origin,destination", "2001/01/01 06:55,5,300,SFO,JFK"]);
        await File.WriteAllTextAsync(Path.Combine(input, "flights.xlsx"), "not read");
        Directory.CreateDirectory(Path.Combine(input, "2002"));

        using var produce = AeroProcess.StartAero(_directory, null, "produce", "--input", input, "--bootstrap", bootstrap);

        Assert.Equal(0, await produce.ExitCodeAsync(TimeSpan.FromMinutes(2)));
        Assert.Contains($"warning: skipped {Path.Combine(input, "flights.xlsx")}: not a supported format", produce.Output, StringComparison.Ordinal);
        Assert.Contains($"warning: skipped {Path.Combine(input, "2002")}: a subdirectory", produce.Output, StringComparison.Ordinal);
        Assert.Contains("read=1 produced=1 dead_lettered=0 skipped=2", produce.Output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
