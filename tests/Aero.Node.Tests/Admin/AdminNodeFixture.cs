using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace Aero.Node.Tests.Admin;

/// <summary>
/// One <c>aero run</c> (embedded Kafka, the bundled sample) with its admin endpoint on a free loopback port behind a
/// token (or without one, as a laptop runs it: <see cref="OpenAdminNodeFixture"/>), shared by the specs of a class;
/// and the <c>aero</c> CLI pointed at it.
/// </summary>
public partial class AdminNodeFixture : IAsyncLifetime
{
    public const string Token = "admin-spec-t0ken-5e3f";
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private readonly string? _token;
    private AeroProcess? _node;

    public AdminNodeFixture()
        : this(Token)
    {
    }

    protected AdminNodeFixture(string? token) => _token = token;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("aero-admin-").FullName;

    /// <summary>host:port of the node's HTTP endpoint, as printed at start.</summary>
    public string Endpoint { get; private set; } = "";

    public AeroProcess Node => _node!;

    public async Task InitializeAsync()
    {
        _node = AeroProcess.StartAero(Directory, _token is null ? null : new Dictionary<string, string> { ["AERO_ADMIN_TOKEN"] = _token }, "run", "--verbose");
        Endpoint = await EndpointOnceLoadStartedAsync(_node);
    }

    /// <summary>
    /// Waits until <paramref name="node"/> runs its load graph and has printed its admin endpoint, then returns that
    /// endpoint. The graph's log line and the endpoint line come from different threads, in either order.
    /// </summary>
    public static async Task<string> EndpointOnceLoadStartedAsync(AeroProcess node)
    {
        await node.WaitForOutputAsync("Graph load started", Timeout);
        await node.WaitForOutputAsync("Admin endpoint", Timeout);
        return AdminEndpoint(node.Output);
    }

    /// <summary>The admin endpoint's host:port from a node's output.</summary>
    public static string AdminEndpoint(string output)
    {
        var printed = AdminLine().Match(output);
        Assert.True(printed.Success, $"no admin endpoint printed:\n{output}");
        return new Uri(printed.Groups["uri"].Value).Authority;
    }

    /// <summary>Runs <c>aero ARGS --node ENDPOINT --token TOKEN</c> to its end.</summary>
    public Task<(int Exit, string Output)> Admin(params string[] arguments) =>
        Cli(_token is null ? [.. arguments, "--node", Endpoint] : [.. arguments, "--node", Endpoint, "--token", _token]);

    /// <summary>As <see cref="Admin"/> with <c>--json</c>, asserting success and parsing the answer.</summary>
    public async Task<JsonElement> AdminJson(params string[] arguments)
    {
        var (exit, output) = await Admin([.. arguments, "--json"]);
        Assert.True(exit == 0, $"aero {string.Join(' ', arguments)} exited with {exit}:\n{output}");
        return JsonDocument.Parse(output).RootElement;
    }

    public async Task<(int Exit, string Output)> Cli(params string[] arguments)
    {
        using var cli = AeroProcess.StartAero(Directory, null, arguments);
        var exit = await cli.ExitCodeAsync(Timeout);
        return (exit, cli.Output);
    }

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            _node.Terminate();
            await _node.ExitCodeAsync(Timeout);
            _node.Dispose();
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }

    [GeneratedRegex(@"Admin endpoint (?<uri>http://\S+)")]
    private static partial Regex AdminLine();
}
