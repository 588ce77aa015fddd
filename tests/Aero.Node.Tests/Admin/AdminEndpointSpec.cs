using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Xunit;

namespace Aero.Node.Tests.Admin;

/// <summary>The admin API over plain HTTP, as scripts without the CLI see it.</summary>
public sealed class AdminEndpointSpec(AdminNodeFixture node) : IClassFixture<AdminNodeFixture>, IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://{node.Endpoint}/") };

    [Fact]
    public async Task A_call_without_the_token_should_get_401_with_a_bearer_challenge()
    {
        using var response = await _http.GetAsync("admin/cluster/show");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("Missing or wrong bearer token.", await Error(response));
    }

    [Fact]
    public async Task A_verb_that_changes_something_should_refuse_GET()
    {
        using var response = await Send(HttpMethod.Get, "admin/pipeline/pause");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("POST", response.Content.Headers.Allow.Single());
        Assert.Equal("Running", JsonDocument.Parse(await (await Send(HttpMethod.Get, "admin/pipeline/status")).Content.ReadAsStringAsync())
            .RootElement.GetProperty("graphs")[0].GetProperty("state").GetString());
    }

    [Fact]
    public async Task An_unknown_verb_should_get_404_listing_the_known_ones()
    {
        using var response = await Send(HttpMethod.Get, "admin/cluster/frobnicate");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.StartsWith("Unknown admin verb \"cluster frobnicate\". Known: actor hierarchy, cluster down,", await Error(response));
    }

    [Fact]
    public async Task A_bad_parameter_should_get_400_naming_it()
    {
        using var response = await Send(HttpMethod.Get, "admin/actor/hierarchy?depth=deep");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("depth = \"deep\" is not valid: expected a whole number from 0 to 64.", await Error(response));
    }

    public void Dispose() => _http.Dispose();

    private Task<HttpResponseMessage> Send(HttpMethod method, string uri)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminNodeFixture.Token);
        return _http.SendAsync(request);
    }

    private static async Task<string?> Error(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString();
}
