using System.Text.Json.Nodes;
using Aero.Node.Configuration;
using Aero.Node.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aero.Node.Admin;

/// <summary>
/// The admin API on the node's HTTP port: <c>/admin/{group}/{name}</c> runs the <see cref="IAdminVerb"/> of that name
/// (GET for reading verbs, POST for the ones that change something) and answers JSON; errors are
/// <c>{"error": "..."}</c> with a 4xx or 5xx status. With a token configured, every call must carry it; requests from web
/// pages are refused (<see cref="CrossSiteGuard"/>).
/// </summary>
public static class AdminEndpoint
{
    public static void Map(WebApplication app, AdminSettings settings)
    {
        app.Map("/admin/{group}/{name}", http => HandleAsync(http, settings));
        app.Map("/admin/{**rest}", http => WriteAsync(http, StatusCodes.Status404NotFound, Error($"No such admin route: {http.Request.Path}. Routes are /admin/GROUP/NAME.")));
    }

    private static async Task HandleAsync(HttpContext http, AdminSettings settings)
    {
        if (CrossSiteGuard.Refusal(http.Request, settings) is { } crossSite)
        {
            await WriteAsync(http, StatusCodes.Status403Forbidden, Error(crossSite));
            return;
        }

        if (!BearerToken.Accepts(settings.Token, http.Request.Headers.Authorization))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            await WriteAsync(http, StatusCodes.Status401Unauthorized, Error("Missing or wrong bearer token."));
            return;
        }

        var group = (string)http.Request.RouteValues["group"]!;
        var name = (string)http.Request.RouteValues["name"]!;
        var verb = AdminVerbs.Find(group, name);
        if (verb is null)
        {
            var known = string.Join(", ", AdminVerbs.All.Select(v => $"{v.Group} {v.Name}"));
            await WriteAsync(http, StatusCodes.Status404NotFound, Error($"Unknown admin verb \"{group} {name}\". Known: {known}."));
            return;
        }

        var method = verb.Mutates ? HttpMethods.Post : HttpMethods.Get;
        if (!string.Equals(http.Request.Method, method, StringComparison.OrdinalIgnoreCase))
        {
            http.Response.Headers.Allow = method;
            await WriteAsync(http, StatusCodes.Status405MethodNotAllowed, Error($"{group} {name} expects {method}."));
            return;
        }

        if (verb.Mutates && CrossSiteGuard.MutationRefusal(http.Request) is { } simple)
        {
            await WriteAsync(http, StatusCodes.Status403Forbidden, Error(simple));
            return;
        }

        var arguments = new AdminArguments(http.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal));
        try
        {
            var context = http.RequestServices.GetRequiredService<AdminContext>();
            await WriteAsync(http, StatusCodes.Status200OK, await verb.ExecuteAsync(context, arguments, http.RequestAborted));
        }
        catch (AdminRequestException error)
        {
            await WriteAsync(http, error.StatusCode, Error(error.Message));
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AdminEndpoint)).LogError(error, "Admin verb {Group} {Name} failed", group, name);
            await WriteAsync(http, StatusCodes.Status500InternalServerError, Error($"{group} {name} failed: {error.Message}"));
        }
    }

    private static JsonObject Error(string message) => new() { ["error"] = message };

    private static Task WriteAsync(HttpContext http, int status, JsonObject body) => JsonResponses.WriteAsync(http, status, body);
}
