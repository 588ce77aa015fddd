using System.Net;
using Aero.Node.Configuration;
using Microsoft.AspNetCore.Http;

namespace Aero.Node.Admin;

/// <summary>
/// Keeps web pages away from the admin API. A page in a browser on this machine can send the node a simple request (a
/// form post, <c>fetch(..., {mode: 'no-cors'})</c>): the browser marks it with Origin and Sec-Fetch-Site, and cannot
/// add a custom header without a CORS preflight, which the node never approves. So a request from another site is
/// refused, every verb that changes something needs <see cref="HeaderName"/> (the aero CLI sends it), and a node
/// without a token answers only to its loopback names, so a page whose own name was rebound to 127.0.0.1 gets nothing.
/// </summary>
public static class CrossSiteGuard
{
    public const string HeaderName = "X-Aero-Admin";

    /// <summary>Why <paramref name="request"/> must be refused, or null when it came from no other site.</summary>
    public static string? Refusal(HttpRequest request, AdminSettings settings)
    {
        // Browsers send it on every request; only same-origin and none (typed by the user) are the node's own.
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && !string.Equals(site, "same-origin", StringComparison.OrdinalIgnoreCase) && !string.Equals(site, "none", StringComparison.OrdinalIgnoreCase))
        {
            return $"Refused a {site} request (Sec-Fetch-Site): the admin API is for the aero CLI and scripts, not web pages.";
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !IsOwnOrigin(origin, request))
        {
            return $"Refused a cross-site request from {origin}: the admin API is for the aero CLI and scripts, not web pages.";
        }

        return settings.Token.Length == 0 && !IsLoopbackName(request.Host.Host)
            ? $"Refused a request for host \"{request.Host}\": without a token the admin API answers only to loopback names (127.0.0.1, localhost, ::1)."
            : null;
    }

    /// <summary>Why a request for a verb that changes something must be refused, or null when it carries <see cref="HeaderName"/>.</summary>
    public static string? MutationRefusal(HttpRequest request) =>
        request.Headers[HeaderName].ToString() == "1"
            ? null
            : $"Verbs that change something need the header {HeaderName}: 1, which the aero CLI sends and a web page cannot send without the node's consent.";

    private static bool IsOwnOrigin(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);

    private static bool IsLoopbackName(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
