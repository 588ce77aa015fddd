using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Aero.Node.Tests.Admin;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Node.Tests;

/// <summary>
/// Three node processes on loopback form a cluster over the embedded Kafka (its own process) and a shared PostgreSQL;
/// one is killed with SIGKILL mid-load, the split brain resolver downs it, the survivors take its partitions, and
/// every record ends in the warehouse exactly once.
/// </summary>
public sealed class MultiNodeSpec(ITestOutputHelper output) : IDisposable
{
    private const int Records = 60_000;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private readonly string _directory = Directory.CreateTempSubdirectory("aero-cluster-").FullName;
    private readonly string _schema = "cluster_" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<AeroProcess> _processes = [];

    [Fact]
    public async Task Three_nodes_should_form_a_cluster_survive_a_sigkill_and_store_every_record_once()
    {
        var bootstrapFile = Path.Combine(_directory, "bootstrap");
        var kafka = Track(AeroProcess.StartAero(_directory, null, "kafka", "serve", "--bootstrap-file", bootstrapFile));
        var bootstrap = await KafkaServeSpec.BootstrapFrom(bootstrapFile, kafka);
        await AeroCli.ProduceFlightsAsync(_directory, bootstrap, Records, Timeout);

        var seedPort = FreePort();
        var nodes = new List<(AeroProcess Process, string Admin, string Config)>();
        for (var i = 0; i < 3; i++)
        {
            var config = await WriteConfigAsync(i, i == 0 ? seedPort : 0, seedPort);
            var node = Track(AeroProcess.StartAero(_directory, null, "run", "--no-extract", "--bootstrap", bootstrap, "--config", config));
            await node.WaitForOutputAsync("Admin endpoint", Timeout);
            nodes.Add((node, AdminNodeFixture.AdminEndpoint(node.Output), config));
        }

        var seed = nodes[0];
        await AwaitAsync(async () => (await Members(seed.Admin)).Count(m => m.Status == "Up") == 3, "3 Up members");
        // The partitions spread: each node's consumer was assigned some.
        foreach (var (process, _, _) in nodes)
        {
            await process.WaitForOutputAsync("Assigned flights-raw", Timeout);
        }

        var victim = nodes[2];
        Assert.True(victim.Process.Kill());
        await AwaitAsync(async () => (await Members(seed.Admin)).Count == 2, "the killed node downed and removed");
        Assert.All(await Members(seed.Admin), m => Assert.Equal("Up", m.Status));

        await AwaitAsync(async () => (await AeroCli.QueryNumbersAsync(_directory, seed.Config, "SELECT count(*) FROM flights_raw", Timeout))[0] == Records, $"{Records} rows");
        var stored = await AeroCli.QueryNumbersAsync(_directory, seed.Config, "SELECT count(*), count(DISTINCT (kafka_topic, kafka_partition, kafka_offset)), count(DISTINCT event_id) FROM flights_raw", Timeout);
        Assert.Equal(new long[] { Records, Records, Records }, stored);

        foreach (var (process, _, _) in nodes.Take(2))
        {
            process.Terminate();
            Assert.Equal(0, await process.ExitCodeAsync(Timeout));
        }
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            output.WriteLine(process.Output);
            process.Dispose();
        }

        Directory.Delete(_directory, recursive: true);
    }

    private AeroProcess Track(AeroProcess process)
    {
        _processes.Add(process);
        return process;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<string> WriteConfigAsync(int node, int port, int seedPort)
    {
        var connection = Environment.GetEnvironmentVariable("AERO_TEST_POSTGRES") is { Length: > 0 } configured
            ? configured
            : "Host=127.0.0.1;Port=5432;Username=aero;Password=aero;Database=aero";
        var path = Path.Combine(_directory, $"node{node}.conf");
        var overlay = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "hocon", "test.conf"));
        await File.WriteAllTextAsync(path, overlay + $$"""

            aero.kafka.consumer.kafka-clients { "session.timeout.ms" = 6000, "heartbeat.interval.ms" = 500 }
            aero.cluster { port = {{port}}, seed-nodes = ["127.0.0.1:{{seedPort}}"] }
            aero.warehouse { kind = postgres, postgres { connection-string = "{{connection}}", schema = {{_schema}} } }
            aero.load.batch-size = 500
            """);
        return path;
    }

    private async Task<List<(string Address, string Status)>> Members(string admin)
    {
        using var cli = AeroProcess.StartAero(_directory, null, "cluster", "show", "--json", "--node", admin);
        Assert.True(await cli.ExitCodeAsync(Timeout) == 0, cli.Output);
        var json = JsonDocument.Parse(cli.Output).RootElement;
        return [.. json.GetProperty("members").EnumerateArray().Select(m => (m.GetProperty("address").GetString()!, m.GetProperty("status").GetString()!))];
    }

    private static async Task AwaitAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not reached within {Timeout}: {what}");
            }

            await Task.Delay(500);
        }
    }
}
