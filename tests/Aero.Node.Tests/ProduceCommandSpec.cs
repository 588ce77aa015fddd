using System.Text.RegularExpressions;
using Xunit;

namespace Aero.Node.Tests;

public sealed partial class ProduceCommandSpec : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("aero-produce-").FullName;
    private AeroProcess? _serve;

    [Fact]
    public async Task Produce_should_send_valid_records_to_the_raw_topic_and_rejections_to_the_dead_letter_topic()
    {
        Preconditions.Kcat();
        var bootstrapFile = Path.Combine(_directory, "bootstrap");
        using var serve = AeroProcess.StartAero(_directory, null, "kafka", "serve", "--partitions", "2", "--bootstrap-file", bootstrapFile);
        var bootstrap = await KafkaServeSpec.BootstrapFrom(bootstrapFile, serve);
        var input = Path.Combine(_directory, "flights.csv");
        var good = Enumerable.Range(0, 200).Select(i => $"2001/01/0{1 + (i % 9)} 0{i % 10}:15,{i % 60 - 10},{300 + i},SFO,JFK");
        string[] bad = ["2001/01/01 06:55,abc,1797,LAX,BNA", "2001/01/01 06:55,12,1797,LAX", "2001-13-45,12,1797,LAX,BNA", "2001/01/01 06:55,12,1797,lax,BNA"];
        await File.WriteAllLinesAsync(input, ["date,delay,distance,origin,destination", .. good, .. bad]);

        using var produce = AeroProcess.StartAero(_directory, null, "produce", "--input", input, "--bootstrap", bootstrap);
        Assert.Equal(0, await produce.ExitCodeAsync(TimeSpan.FromMinutes(2)));

        var summary = Summary().Match(produce.Output);
        Assert.True(summary.Success, produce.Output);
        Assert.Equal(("204", "200", "4"), (summary.Groups["read"].Value, summary.Groups["produced"].Value, summary.Groups["dead"].Value));
        Assert.Contains("read = produced + dead-lettered: 204 = 200 + 4", produce.Output);

        // An outside client sees the same: 200 flights, 4 dead letters, each with its reason.
        Assert.Equal(200, (await Kcat(bootstrap, "flights-raw", "%s\n")).Length);
        var reasons = await Kcat(bootstrap, "flights-dlq", "%h\n");
        Assert.Equal(4, reasons.Length);
        Assert.All(reasons, headers => Assert.Contains("aero-error-reason=", headers));
        Assert.Contains(reasons, headers => headers.Contains("aero-error-reason=bad-code", StringComparison.Ordinal));
        Assert.Contains(reasons, headers => headers.Contains("aero-source-line=", StringComparison.Ordinal));
    }

    // Issue 13 §1.4: names are what real feeds often carry; they are kept, not dead-lettered.
    [Fact]
    public async Task Produce_should_keep_airline_names_rather_than_dead_letter_them()
    {
        var bootstrap = await ServeKafkaAsync();
        var input = Path.Combine(_directory, "named.ndjson");
        await File.WriteAllLinesAsync(input, Enumerable.Range(0, 50).Select(i =>
            $$"""{"flight_id":"AA{{100 + i}}","timestamp":"2001-01-01T06:{{10 + i}}:00Z","airline":"{{(i % 2 == 0 ? "American Airlines" : "AA")}}","origin":"JFK","destination":"LAX"}"""));

        using var produce = AeroProcess.StartAero(_directory, null, "produce", "--input", input, "--bootstrap", bootstrap);

        Assert.Equal(0, await produce.ExitCodeAsync(TimeSpan.FromMinutes(2)));
        var summary = Summary().Match(produce.Output);
        Assert.True(summary.Success, produce.Output);
        Assert.Equal(("50", "50", "0"), (summary.Groups["read"].Value, summary.Groups["produced"].Value, summary.Groups["dead"].Value));
        var raw = await Kcat(bootstrap, "flights-raw", "%s\n");
        Assert.Equal(25, raw.Count(value => value.Contains("\"airline_name\":\"American Airlines\"", StringComparison.Ordinal)));
        // Issue 15 §2: a known name also gets its code.
        Assert.Equal(50, raw.Count(value => value.Contains("\"airline\":\"AA\"", StringComparison.Ordinal)));
    }

    // Issue 13 §1.4: more rejections than aero.extract.max-rejected-share allows fail the run, loudly.
    [Fact]
    public async Task Produce_should_exit_non_zero_when_more_than_the_allowed_share_of_records_is_rejected()
    {
        var bootstrap = await ServeKafkaAsync();
        var input = Path.Combine(_directory, "mostly-bad.csv");
        var good = Enumerable.Range(0, 20).Select(i => $"2001/01/01 06:{10 + i},5,300,SFO,JFK");
        var bad = Enumerable.Range(0, 5).Select(i => $"2001/01/01 07:{10 + i},abc,300,SFO,JFK");
        await File.WriteAllLinesAsync(input, ["date,delay,distance,origin,destination", .. good, .. bad]);

        using var produce = AeroProcess.StartAero(_directory, null, "produce", "--input", input, "--bootstrap", bootstrap);

        Assert.Equal(1, await produce.ExitCodeAsync(TimeSpan.FromMinutes(2)));
        Assert.Contains("5 of 25 records (20.0 %) were rejected", produce.Output, StringComparison.Ordinal);
        Assert.Contains("aero.extract.max-rejected-share = 0.1", produce.Output, StringComparison.Ordinal);
        // Everything was still delivered: the failure is the share, not a loss.
        Assert.Contains("read = produced + dead-lettered: 25 = 20 + 5", produce.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Produce_without_a_kafka_should_say_how_to_get_one()
    {
        using var produce = AeroProcess.StartAero(_directory, null, "produce", "--input", "nothing.csv");

        Assert.Equal(2, await produce.ExitCodeAsync(TimeSpan.FromMinutes(1)));
        Assert.Contains("--bootstrap", produce.Output);
    }

    public void Dispose()
    {
        _serve?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<string> ServeKafkaAsync()
    {
        var bootstrapFile = Path.Combine(_directory, "bootstrap");
        _serve = AeroProcess.StartAero(_directory, null, "kafka", "serve", "--partitions", "2", "--bootstrap-file", bootstrapFile);
        return await KafkaServeSpec.BootstrapFrom(bootstrapFile, _serve);
    }

    private async Task<string[]> Kcat(string bootstrap, string topic, string format)
    {
        using var kcat = AeroProcess.Start("kcat", _directory, null, "-b", bootstrap, "-t", topic, "-C", "-o", "beginning", "-e", "-q", "-f", format);
        Assert.Equal(0, await kcat.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        return kcat.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [GeneratedRegex(@"summary: input=\S+ read=(?<read>\d+) produced=(?<produced>\d+) dead_lettered=(?<dead>\d+)")]
    private static partial Regex Summary();
}
