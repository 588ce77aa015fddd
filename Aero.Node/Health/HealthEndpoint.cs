using System.Text.Json.Nodes;
using Aero.Actors.Hosting;
using Aero.Node.Admin;
using Aero.Node.Hosting;
using Akka.Actor;
using Akka.Cluster;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Aero.Node.Health;

/// <summary>
/// Probes for Kubernetes and load balancers, unauthenticated like <c>/metrics</c>: <c>/healthz/live</c> answers 200
/// while the process serves HTTP; <c>/healthz/ready</c> answers 200 only while the node is Up in the cluster and all its
/// graphs run, else 503 with the reason (joining, leaving, a graph paused, restarting past its budget, ...).
/// </summary>
public static class HealthEndpoint
{
    public static void Map(WebApplication app)
    {
        app.Map("/healthz/live", http => JsonResponses.WriteAsync(http, StatusCodes.Status200OK, new JsonObject { ["status"] = "live" }));
        app.Map("/healthz/ready", async http =>
        {
            var reason = await NotReadyBecauseAsync(http.RequestServices.GetRequiredService<AdminContext>());
            await JsonResponses.WriteAsync(
                http,
                reason is null ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable,
                reason is null ? new JsonObject { ["status"] = "ready" } : new JsonObject { ["status"] = "not ready", ["reason"] = reason });
        });
    }

    /// <summary>Null when ready; otherwise why not, for the operator reading the probe's answer.</summary>
    public static async Task<string?> NotReadyBecauseAsync(AdminContext context)
    {
        if (context.System.WhenTerminated.IsCompleted)
        {
            return "the ActorSystem has terminated";
        }

        var self = Cluster.Get(context.System).SelfMember;
        if (self.Status == MemberStatus.Removed)
        {
            // Akka says Removed both before the first join and after leaving.
            return "the node is not a cluster member (not joined yet, or removed)";
        }

        if (self.Status != MemberStatus.Up)
        {
            return $"the node is {self.Status} in the cluster, not Up";
        }

        GraphsStatus status;
        try
        {
            status = await context.Graphs.Ask<GraphsStatus>(GetGraphsStatus.Instance, TimeSpan.FromSeconds(5));
        }
        catch (Exception error) when (error is AskTimeoutException or TaskCanceledException)
        {
            return "the graphs did not answer within 5 s";
        }

        var notRunning = status.Graphs.Where(g => g.State != GraphState.Running).Select(g => $"graph {g.Name} is {g.State}").ToList();
        return notRunning.Count == 0 ? null : string.Join("; ", notRunning);
    }
}
