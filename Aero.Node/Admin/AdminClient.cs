using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Aero.Node.Admin;

/// <summary>Calls one node's admin API, the way the <c>aero</c> admin verbs do.</summary>
public sealed class AdminClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _hasToken;

    /// <param name="node">host:port, or a URL.</param>
    /// <param name="token">The bearer token, if the node asks for one.</param>
    /// <param name="timeout">Pausing a graph waits for it to drain, so this is generous.</param>
    public AdminClient(string node, string? token, TimeSpan timeout)
    {
        BaseAddress = new Uri(node.Contains("://", StringComparison.Ordinal) ? node : $"http://{node}");
        _http = new HttpClient { BaseAddress = BaseAddress, Timeout = timeout };
        // Verbs that change something need it; a web page cannot send it (CrossSiteGuard).
        _http.DefaultRequestHeaders.Add(CrossSiteGuard.HeaderName, "1");
        _hasToken = !string.IsNullOrEmpty(token);
        if (_hasToken)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public Uri BaseAddress { get; }

    public async Task<JsonObject> CallAsync(IAdminVerb verb, IReadOnlyDictionary<string, string> arguments, CancellationToken cancellation)
    {
        var query = string.Join("&", arguments.Select(a => $"{Uri.EscapeDataString(a.Key)}={Uri.EscapeDataString(a.Value)}"));
        var uri = AdminVerbs.Route(verb) + (query.Length > 0 ? "?" + query : "");
        HttpResponseMessage response;
        try
        {
            response = verb.Mutates ? await _http.PostAsync(uri, null, cancellation) : await _http.GetAsync(uri, cancellation);
        }
        catch (HttpRequestException error)
        {
            throw new AdminClientException($"Cannot reach the admin endpoint at {BaseAddress}: {error.Message} (is a node, `aero serve` or `aero run`, up there? --node host:port picks the node).", error);
        }
        catch (TaskCanceledException error) when (!cancellation.IsCancellationRequested)
        {
            throw new AdminClientException($"The admin endpoint at {BaseAddress} did not answer within {_http.Timeout.TotalSeconds:F0} s.", error);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellation);
            var json = Parse(body);
            if (response.IsSuccessStatusCode && json is not null)
            {
                return json;
            }

            var message = json?["error"]?.GetValue<string>() ?? $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
            throw new AdminClientException(response.StatusCode switch
            {
                HttpStatusCode.Unauthorized when _hasToken => $"The node at {BaseAddress} refused the token: {message}",
                HttpStatusCode.Unauthorized => $"The node at {BaseAddress} requires a token: pass --token or set AERO_ADMIN_TOKEN.",
                _ => $"{verb.Group} {verb.Name}: {message}",
            });
        }
    }

    public void Dispose() => _http.Dispose();

    private static JsonObject? Parse(string body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
