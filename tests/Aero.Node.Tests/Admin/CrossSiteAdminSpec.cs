using System.Net;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Aero.Node.Tests.Admin;

/// <summary>
/// issue 13 §1.3: a web page must not steer a node on loopback without a token. A browser sends a cross-site form post
/// or a <c>fetch(..., {mode: 'no-cors'})</c> with its Origin and Sec-Fetch-Site headers and a simple content type, and
/// cannot add a custom header without a CORS preflight, which the node never approves.
/// </summary>
public sealed class CrossSiteAdminSpec(OpenAdminNodeFixture node) : IClassFixture<OpenAdminNodeFixture>, IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://{node.Endpoint}/") };

    [Fact]
    public async Task A_cross_site_post_should_get_403_and_leave_the_pipeline_running()
    {
        // What curl -X POST -H 'Origin: https://evil.example' -H 'Content-Type: text/plain' sends.
        using var response = await Post("admin/pipeline/pause", ("Origin", "https://evil.example"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("cross-site", await Error(response), StringComparison.Ordinal);
        Assert.Equal("Running", await LoadState());
    }

    [Fact]
    public async Task A_simple_post_without_the_admin_header_should_be_refused()
    {
        // No Origin at all (a no-cors request from a page that hides it, or a plain script): still no custom header.
        using var response = await Post("admin/pipeline/pause");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("X-Aero-Admin", await Error(response), StringComparison.Ordinal);
        Assert.Equal("Running", await LoadState());
    }

    [Theory]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    [InlineData("Origin", "http://localhost:3000")]
    [InlineData("Origin", "null")]
    public async Task A_request_from_another_site_should_be_refused_even_with_the_admin_header(string header, string value)
    {
        using var response = await Post("admin/pipeline/pause", (header, value), ("X-Aero-Admin", "1"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Running", await LoadState());
    }

    [Fact]
    public async Task A_request_naming_another_host_should_be_refused()
    {
        // DNS rebinding: a page of evil.example whose name now points at 127.0.0.1 is same-origin with itself.
        using var request = new HttpRequestMessage(HttpMethod.Get, "admin/pipeline/status");
        request.Headers.Host = "evil.example:" + new Uri($"http://{node.Endpoint}").Port;

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task The_node_own_origin_with_the_admin_header_should_be_served()
    {
        using var response = await Get("admin/pipeline/status", ("Origin", $"http://{node.Endpoint}"), ("Sec-Fetch-Site", "same-origin"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_cli_should_still_pause_and_resume()
    {
        var (pauseExit, pause) = await node.Admin("pipeline", "pause");
        var (resumeExit, resume) = await node.Admin("pipeline", "resume");

        Assert.True(pauseExit == 0, pause);
        Assert.Contains("Stopped", pause, StringComparison.Ordinal);
        Assert.True(resumeExit == 0, resume);
        Assert.Equal("Running", await LoadState());
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> Post(string uri, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent("", Encoding.UTF8, "text/plain") };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await _http.SendAsync(request);
    }

    private async Task<HttpResponseMessage> Get(string uri, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await _http.SendAsync(request);
    }

    private async Task<string> LoadState()
    {
        using var response = await Get("admin/pipeline/status");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("graphs")[0].GetProperty("state").GetString()!;
    }

    private static async Task<string?> Error(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString();
}
