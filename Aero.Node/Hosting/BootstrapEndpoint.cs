using Akka.Actor;
using Akka.Cluster;
using Akka.Management.Cluster.Bootstrap.ContactPoint;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;

namespace Aero.Node.Hosting;

/// <summary>
/// The node's contact point for cluster bootstrap: <c>GET /bootstrap/seed-nodes</c> on the management address, which
/// bootstrapping nodes probe to learn this node's view of the cluster. It answers exactly as Akka.Management's own
/// route, with Akka.Management's protocol types and serializer. It is served here, on ASP.NET Core, because
/// Akka.Management's HTTP server needs Ceen.Httpd 0.9.9, and the 0.9.10 our feed has fails at runtime
/// (MissingMethodException in <c>HttpServer.ListenAsync</c>). Its own listener keeps the admin API off this address.
/// </summary>
internal sealed class BootstrapEndpoint : IAsyncDisposable
{
    public const string SeedNodesPath = "/bootstrap/seed-nodes";

    // As many as Akka.Management's route exposes (contact-point max-seed-nodes-to-expose).
    private const int MaxSeedNodesExposed = 5;
    private readonly WebApplication _app;

    private BootstrapEndpoint(ActorSystem system, string hostname, int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://{hostname}:{port}");
        _app = builder.Build();
        _app.MapGet(SeedNodesPath, () => Results.Content(JsonConvert.SerializeObject(SeedNodes(Cluster.Get(system))), "application/json"));
    }

    /// <summary>Starts listening on <paramref name="hostname"/>:<paramref name="port"/>.</summary>
    public static async Task<BootstrapEndpoint> StartAsync(ActorSystem system, string hostname, int port)
    {
        var endpoint = new BootstrapEndpoint(system, hostname, port);
        await endpoint._app.StartAsync();
        return endpoint;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    /// <summary>
    /// This node's address and the reachable Joining, Up or WeaklyUp members it knows; none once it is leaving, so a
    /// bootstrapping node never joins through a member on its way out.
    /// </summary>
    private static HttpBootstrapJsonProtocol.SeedNodes SeedNodes(Cluster cluster)
    {
        var self = cluster.SelfMember;
        if (self.Status is MemberStatus.Leaving or MemberStatus.Exiting or MemberStatus.Down or MemberStatus.Removed)
        {
            return new HttpBootstrapJsonProtocol.SeedNodes(self.Address, []);
        }

        var state = cluster.State;
        var members = state.Members
            .Where(m => !state.Unreachable.Contains(m) && m.Status is MemberStatus.Joining or MemberStatus.Up or MemberStatus.WeaklyUp)
            .Take(MaxSeedNodesExposed)
            .Select(m => new HttpBootstrapJsonProtocol.ClusterMember(m.UniqueAddress.Address, m.UniqueAddress.Uid, m.Status, m.Roles));
        return new HttpBootstrapJsonProtocol.SeedNodes(self.Address, [.. members]);
    }
}
