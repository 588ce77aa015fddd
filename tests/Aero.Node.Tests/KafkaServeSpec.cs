using Confluent.Kafka;
using Xunit;

namespace Aero.Node.Tests;

public sealed class KafkaServeSpec : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("aero-serve-").FullName;

    [Fact]
    public async Task Kafka_serve_should_let_kcat_produce_and_consume_from_another_process()
    {
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
        Assert.Contains("kept in memory only", serve.Output);
        Assert.Contains($"bootstrap.servers={bootstrap}", serve.Output);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    internal static async Task<string> BootstrapFrom(string file, AeroProcess process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var watcher = new FileSystemWatcher(Path.GetDirectoryName(file)!) { EnableRaisingEvents = true };
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        watcher.Renamed += (_, _) => changed.TrySetResult();
        watcher.Created += (_, _) => changed.TrySetResult();
        while (!File.Exists(file))
        {
            // The watcher wakes us; the short fallback covers events raised before it was watching.
            await Task.WhenAny(changed.Task, Task.Delay(100, timeout.Token));
            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"No bootstrap file appeared. Output:\n{process.Output}");
            }
        }

        return (await File.ReadAllTextAsync(file)).Trim();
    }
}
