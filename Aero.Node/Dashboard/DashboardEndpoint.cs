using System.Reflection;
using System.Text.Json.Nodes;
using Aero.Node.Admin;
using Aero.Node.Configuration;
using Aero.Node.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Aero.Node.Dashboard;

/// <summary>
/// The live dashboard on the node's HTTP endpoint: <c>/dashboard</c> is one page (no data in it, nothing fetched from
/// elsewhere) that reads <c>/dashboard/api/summary</c> (headline numbers), <c>/dashboard/api/charts/NAME</c> (SVG
/// drawn here from the dashboard's summary, <see cref="SvgCharts"/>) and <c>/dashboard/api/windows</c> (server-sent
/// events: the newest finalized windows, <see cref="WindowFeed"/>). The data follows the admin API's rules for a
/// read-only verb: refused from other sites, and behind <c>aero.admin.token</c> when the endpoint is exposed beyond
/// loopback (the page then takes the token from its address's <c>#token=</c>, which never reaches a server log).
/// </summary>
public static class DashboardEndpoint
{
    public const string PagePath = "/dashboard";

    private static readonly Dictionary<string, Func<DashboardSnapshot, string>> Charts = new(StringComparer.Ordinal)
    {
        ["delay-by-airline"] = s => SvgCharts.DelayByAirline(s.DelayByAirline),
        ["category-mix"] = s => SvgCharts.CategoryMix(s.CategoryMix),
        ["flights-by-hour"] = s => SvgCharts.FlightsByHour(s.FlightsByHour),
        ["delayed-routes"] = s => SvgCharts.DelayedRoutes(s.DelayedRoutes),
        ["airport-map"] = s => SvgCharts.AirportMap(s.Airports),
    };

    private static readonly Lazy<string> Page = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Aero.Node.Dashboard.dashboard.html")
            ?? throw new InvalidOperationException("The dashboard page is missing from the assembly's resources.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static IReadOnlyCollection<string> ChartNames => Charts.Keys;

    /// <param name="data">The warehouse's numbers, or null on a node without a warehouse (the page then says there is no data).</param>
    public static void Map(WebApplication app, AdminSettings admin, DashboardData? data, WindowFeed windows)
    {
        app.MapGet("/", () => Results.Redirect(PagePath));
        app.MapGet(PagePath, () => Results.Content(Page.Value, "text/html; charset=utf-8"));
        app.MapGet(PagePath + "/api/summary", http => Guarded(http, admin, async () =>
        {
            var snapshot = data is null ? null : await data.GetAsync(http.RequestAborted);
            await JsonResponses.WriteAsync(http, StatusCodes.Status200OK, Summary(snapshot));
        }));
        app.MapGet(PagePath + "/api/charts/{name}", http => Guarded(http, admin, async () =>
        {
            var name = (string)http.Request.RouteValues["name"]!;
            if (!Charts.TryGetValue(name, out var draw))
            {
                await JsonResponses.WriteAsync(http, StatusCodes.Status404NotFound, Error($"No chart {name}. Charts: {string.Join(", ", Charts.Keys)}."));
                return;
            }

            var snapshot = data is null ? null : await data.GetAsync(http.RequestAborted);
            http.Response.ContentType = "image/svg+xml; charset=utf-8";
            http.Response.Headers.CacheControl = "no-store";
            await http.Response.WriteAsync(draw(snapshot ?? DashboardSnapshot.Empty));
        }));
        app.MapGet(PagePath + "/api/windows", http => Guarded(http, admin, () => StreamWindowsAsync(http, windows)));
    }

    /// <summary>Server-sent events: a comment at once (so the page knows it is connected), then one event per window.</summary>
    private static async Task StreamWindowsAsync(HttpContext http, WindowFeed windows)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-store";
        await http.Response.WriteAsync(": connected\n\n", http.RequestAborted);
        await http.Response.Body.FlushAsync(http.RequestAborted);
        try
        {
            await foreach (var json in windows.SubscribeAsync(http.RequestAborted))
            {
                await http.Response.WriteAsync($"event: window\ndata: {json}\n\n", http.RequestAborted);
                await http.Response.Body.FlushAsync(http.RequestAborted);
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The page went away.
        }
    }

    private static async Task Guarded(HttpContext http, AdminSettings admin, Func<Task> answer)
    {
        if (CrossSiteGuard.Refusal(http.Request, admin) is { } crossSite)
        {
            await JsonResponses.WriteAsync(http, StatusCodes.Status403Forbidden, Error(crossSite));
            return;
        }

        // On loopback the dashboard's read-only data is open, as the page is; exposed, it needs the admin token.
        if (!admin.IsLoopback && !BearerToken.Accepts(admin.Token, http.Request.Headers.Authorization))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            await JsonResponses.WriteAsync(http, StatusCodes.Status401Unauthorized, Error("Missing or wrong bearer token: open the dashboard as /dashboard#token=TOKEN."));
            return;
        }

        try
        {
            await answer();
        }
        catch (Exception error) when (error is not OperationCanceledException && !http.Response.HasStarted)
        {
            LoggerFactoryOf(http).CreateLogger(typeof(DashboardEndpoint)).LogWarning(error, "Dashboard could not read the warehouse");
            await JsonResponses.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, Error($"The warehouse could not be read: {error.Message}"));
        }
    }

    private static JsonObject Summary(DashboardSnapshot? snapshot)
    {
        var headline = snapshot?.Headline;
        return new JsonObject
        {
            ["hasWarehouse"] = snapshot is not null,
            ["hasFlights"] = snapshot?.HasFlights ?? false,
            ["readAt"] = snapshot?.ReadAt.ToString("O"),
            ["flights"] = headline?.Flights ?? 0,
            ["onTimeShare"] = headline?.OnTimeShare,
            ["averageDelayMinutes"] = headline?.AverageDelayMinutes,
            ["deadLetters"] = headline?.DeadLetters,
            ["recordsPerSecond"] = headline?.RecordsPerSecond,
            ["consumerLag"] = headline?.ConsumerLag,
        };
    }

    private static ILoggerFactory LoggerFactoryOf(HttpContext http) => (ILoggerFactory)http.RequestServices.GetService(typeof(ILoggerFactory))!;

    private static JsonObject Error(string message) => new() { ["error"] = message };
}
