using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Aero.Node.Tests.Admin;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Node.Tests.Cluster;

/// <summary>
/// The processes of one cluster spec on loopback: the embedded Kafka as its own process (<c>aero kafka serve</c>),
/// <c>aero run</c> nodes sharing a PostgreSQL schema of their own, and the <c>aero</c> CLI to watch and query them.
/// Disposing kills whatever still runs and writes every process's output to the test log.
/// </summary>
public sealed class LoopbackCluster(ITestOutputHelper output) : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    // Shared by every scrape: the specs poll /metrics, and a client per call would leave a socket per poll.
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly List<AeroProcess> _processes = [];

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("aero-cluster-").FullName;

    public string Schema { get; } = "cluster_" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The embedded Kafka's bootstrap servers, once <see cref="StartKafkaAsync"/> returned.</summary>
    public string Bootstrap { get; private set; } = "";

    public async Task StartKafkaAsync()
    {
        var bootstrapFile = Path.Combine(Directory, "bootstrap");
        var kafka = Track(AeroProcess.StartAero(Directory, null, "kafka", "serve", "--bootstrap-file", bootstrapFile));
        Bootstrap = await KafkaServeSpec.BootstrapFrom(bootstrapFile, kafka);
    }

    public Task ProduceAsync(int records, int first = 0) => AeroCli.ProduceFlightsAsync(Directory, Bootstrap, records, Timeout, first);

    /// <summary>A node config: the test overlay, Kafka group timeouts for the mock cluster, the shared schema, then <paramref name="hocon"/>.</summary>
    public async Task<string> WriteConfigAsync(string name, string hocon)
    {
        var connection = await Preconditions.PostgresAsync();
        var path = Path.Combine(Directory, $"{name}.conf");
        var overlay = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "hocon", "test.conf"));
        await File.WriteAllTextAsync(path, overlay + $$"""

            aero.kafka.consumer.kafka-clients { "session.timeout.ms" = 6000, "heartbeat.interval.ms" = 500 }
            aero.warehouse { kind = postgres, postgres { connection-string = "{{connection}}", schema = {{Schema}} } }
            aero.load.batch-size = 500

            """ + hocon);
        return path;
    }

    /// <summary>
    /// Starts <c>aero serve</c> on the cluster's Kafka (through <paramref name="launcher"/>, when given) and waits
    /// until its admin endpoint serves.
    /// </summary>
    public async Task<ClusterNode> StartNodeAsync(string config, IReadOnlyDictionary<string, string>? environment = null, IReadOnlyList<string>? launcher = null)
    {
        string[] arguments = ["serve", "--bootstrap", Bootstrap, "--config", config];
        var process = Track(launcher is null
            ? AeroProcess.StartAero(Directory, environment, arguments)
            : AeroProcess.StartAeroThrough(launcher, Directory, environment, arguments));
        await process.WaitForOutputAsync("Admin endpoint", Timeout);
        return new ClusterNode(process, AdminNodeFixture.AdminEndpoint(process.Output), config);
    }

    /// <summary><c>aero cluster show --json</c> against <paramref name="node"/>.</summary>
    public async Task<ClusterView> ShowAsync(ClusterNode node)
    {
        using var cli = AeroProcess.StartAero(Directory, null, "cluster", "show", "--json", "--node", node.Admin);
        Assert.True(await cli.ExitCodeAsync(Timeout) == 0, cli.Output);
        var json = JsonDocument.Parse(cli.Output).RootElement;
        var members = json.GetProperty("members").EnumerateArray().Select(m => (m.GetProperty("address").GetString()!, m.GetProperty("status").GetString()!)).ToList();
        return new ClusterView(json.GetProperty("self").GetString()!, members, json.GetProperty("coordinator").GetString());
    }

    /// <summary>One scrape of <paramref name="node"/>'s <c>/metrics</c>.</summary>
    public static Task<string> MetricsAsync(ClusterNode node) => Http.GetStringAsync($"http://{node.Admin}/metrics");

    public Task<long[]> QueryAsync(ClusterNode node, string sql) => AeroCli.QueryNumbersAsync(Directory, node.Config, sql, Timeout);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails naming <paramref name="what"/> after <see cref="Timeout"/>.</summary>
    public static async Task AwaitAsync(Func<Task<bool>> condition, string what)
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

    /// <summary>A TCP port free on <paramref name="address"/> right now.</summary>
    public static int FreePort(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            output.WriteLine(process.Output);
            process.Dispose();
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private AeroProcess Track(AeroProcess process)
    {
        _processes.Add(process);
        return process;
    }
}
