using Confluent.Kafka;
using Xunit;

namespace Aero.Node.Tests;

public sealed class KafkaServeSpec : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("aero-serve-").FullName;

    [Fact]
    public async Task Kafka_serve_should_let_kcat_produce_and_consume_from_another_process()
    {
        Preconditions.Kcat();
        var bootstrapFile = Path.Combine(_directory, "bootstrap");
        using var serve = AeroProcess.StartAero(_directory, null, "kafka", "serve", "--partitions", "3", "--topic", "kcat-test", "--bootstrap-file", bootstrapFile);
        var bootstrap = await BootstrapFrom(bootstrapFile, serve);

        var lines = Enumerable.Range(0, 300).Select(i => $"{{\"flight\":{i}}}").ToList();
        using (var producer = AeroProcess.Start("kcat", _directory, string.Join('\n', lines) + "\n", "-b", bootstrap, "-t", "kcat-test", "-P"))
        {
            Assert.Equal(0, await producer.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        }

        using var consumer = AeroProcess.Start("kcat", _directory, null, "-b", bootstrap, "-t", "kcat-test", "-C", "-o", "beginning", "-e", "-q", "-f", "%s\n");
        Assert.Equal(0, await consumer.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        var consumed = consumer.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(lines.Order(), consumed.Order());

        // And a .NET client in this process sees the same records.
        using var client = new ConsumerBuilder<Ignore, string>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "spec" }).Build();
        var high = Enumerable.Range(0, 3).Sum(p => client.QueryWatermarkOffsets(new TopicPartition("kcat-test", p), TimeSpan.FromSeconds(10)).High.Value);
        Assert.Equal(300, high);

        serve.Terminate();
        Assert.Equal(0, await serve.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("in memory only", serve.Output);
        Assert.Contains($"bootstrap.servers={bootstrap}", serve.Output);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>aero kafka serve writes the file before it prints its bootstrap line.</summary>
    internal static async Task<string> BootstrapFrom(string file, AeroProcess process)
    {
        await process.WaitForOutputAsync("bootstrap.servers=", TimeSpan.FromSeconds(30));
        return (await File.ReadAllTextAsync(file)).Trim();
    }
}
