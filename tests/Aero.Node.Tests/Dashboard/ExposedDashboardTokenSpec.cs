using System.Net;
using System.Net.Http.Headers;
using Aero.Node.Tests.Admin;
using Xunit;

namespace Aero.Node.Tests.Dashboard;

/// <summary>
/// Issue 19 item 3: a node bound beyond loopback with a token serves the dashboard's page to anyone, and its read-only
/// data only to a caller with the token.
/// </summary>
public sealed class ExposedDashboardTokenSpec : IAsyncLifetime, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("aero-exposed-").FullName;
    private readonly HttpClient _http = new();
    private AeroProcess? _node;

    public async Task InitializeAsync()
    {
        var config = await TestOverlay.WriteAsync(Path.Combine(_directory, "exposed.conf"), "aero.admin.hostname = \"0.0.0.0\"");
        _node = AeroProcess.StartAero(_directory, new Dictionary<string, string> { ["AERO_ADMIN_TOKEN"] = AdminNodeFixture.Token }, "run", "--verbose", "--config", config);
        var endpoint = await AdminNodeFixture.EndpointOnceLoadStartedAsync(_node);
        // The node listens on every address; the spec reaches it through loopback: the token rule follows the bind address.
        _http.BaseAddress = new Uri($"http://127.0.0.1:{new Uri($"http://{endpoint}").Port}/");
    }

    [Fact]
    public async Task Dashboard_data_of_an_exposed_node_should_be_refused_without_the_token_and_answered_with_it()
    {
        using (var page = await _http.GetAsync("dashboard"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        using (var refused = await _http.GetAsync("dashboard/api/summary"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "dashboard/api/summary");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminNodeFixture.Token);
        using var answered = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _node?.Dispose();
        _http.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
