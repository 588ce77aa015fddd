using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Aero.FakeSchemaRegistry;
using Aero.Streams.Schema;
using Confluent.SchemaRegistry;
using Xunit;

namespace Aero.Streams.Tests.Schema;

/// <summary>issue 20 §2: the fake registry at the wire level, through plain HTTP and through Confluent's own client.</summary>
public sealed class FakeSchemaRegistrySpec : IAsyncLifetime, IDisposable
{
    private const string Subject = "flights-raw-value";
    private const string Open = """{"type":"object","properties":{"a":{"type":"string"}}}""";
    private const string OpenWithB = """{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"integer"}}}""";
    private const string RequiresB = """{"type":"object","required":["b"],"properties":{"a":{"type":"string"},"b":{"type":"integer"}}}""";
    private FakeSchemaRegistryServer _registry = null!;
    private HttpClient _http = null!;
    private CachedSchemaRegistryClient _client = null!;

    public async Task InitializeAsync()
    {
        _registry = await FakeSchemaRegistryServer.StartAsync();
        _http = new HttpClient { BaseAddress = _registry.Endpoint };
        _client = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = _registry.Endpoint.ToString() });
    }

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    public void Dispose()
    {
        _client.Dispose();
        _http.Dispose();
    }

    [Fact]
    public async Task Registering_should_give_one_id_per_schema_and_a_new_version_per_change()
    {
        var first = await _client.RegisterSchemaAsync(Subject, new Confluent.SchemaRegistry.Schema(Open, SchemaType.Json));
        var again = await _client.RegisterSchemaAsync(Subject, new Confluent.SchemaRegistry.Schema(Open, SchemaType.Json));
        var second = await _client.RegisterSchemaAsync(Subject, new Confluent.SchemaRegistry.Schema(OpenWithB, SchemaType.Json));
        var elsewhere = await _client.RegisterSchemaAsync("other-value", new Confluent.SchemaRegistry.Schema(Open, SchemaType.Json));

        Assert.Equal(first, again);
        Assert.NotEqual(first, second);
        Assert.Equal(first, elsewhere);
        Assert.Equal([1, 2], await _client.GetSubjectVersionsAsync(Subject));
    }

    [Fact]
    public async Task A_schema_should_be_found_by_id_by_subject_and_version_and_by_its_text()
    {
        var id = await _client.RegisterSchemaAsync(Subject, new Confluent.SchemaRegistry.Schema(Open, SchemaType.Json));

        var byId = await _client.GetSchemaAsync(id);
        var byVersion = await _client.GetRegisteredSchemaAsync(Subject, 1);
        var latest = await _client.GetLatestSchemaAsync(Subject);
        var byText = await _client.LookupSchemaAsync(Subject, new Confluent.SchemaRegistry.Schema(Open, SchemaType.Json), ignoreDeletedSchemas: true);

        Assert.Equal((SchemaType.Json, Open), (byId.SchemaType, byId.SchemaString));
        Assert.Equal((id, 1, Subject), (byVersion.Id, byVersion.Version, byVersion.Subject));
        Assert.Equal(id, latest.Id);
        Assert.Equal(id, byText.Id);
    }

    [Fact]
    public async Task A_schema_the_subjects_level_refuses_should_be_answered_409_and_the_check_should_say_so()
    {
        await _client.RegisterSchemaAsync(Subject, new Confluent.SchemaRegistry.Schema(Open, SchemaType.Json));
        await _client.UpdateCompatibilityAsync(Compatibility.Backward, Subject);

        var check = await _client.IsCompatibleAsync(Subject, new Confluent.SchemaRegistry.Schema(RequiresB, SchemaType.Json));
        var refused = await Assert.ThrowsAsync<SchemaRegistryException>(() => _client.RegisterSchemaAsync(Subject, new Confluent.SchemaRegistry.Schema(RequiresB, SchemaType.Json)));
        using var raw = await _http.PostAsync($"subjects/{Subject}/versions", Body(RequiresB));

        Assert.False(check);
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Equal(HttpStatusCode.Conflict, raw.StatusCode);
        Assert.Contains("REQUIRED_PROPERTY_ADDED", await raw.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(await _client.IsCompatibleAsync(Subject, new Confluent.SchemaRegistry.Schema(OpenWithB, SchemaType.Json)));
    }

    [Fact]
    public async Task An_unknown_id_should_be_answered_404_with_error_40403()
    {
        using var raw = await _http.GetAsync("schemas/ids/4242");
        var body = JsonNode.Parse(await raw.Content.ReadAsStringAsync())!;
        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => _client.GetSchemaAsync(4242));

        Assert.Equal(HttpStatusCode.NotFound, raw.StatusCode);
        Assert.Equal(40403, body["error_code"]!.GetValue<int>());
        Assert.Equal((HttpStatusCode.NotFound, 40403), (error.Status, error.ErrorCode));
    }

    [Fact]
    public async Task A_registry_that_asks_for_credentials_should_refuse_a_client_without_them_and_serve_one_with_them()
    {
        await using var guarded = await FakeSchemaRegistryServer.StartAsync(new FakeSchemaRegistryOptions { BasicAuth = "key:secret" });
        var settings = SchemaRegistrySettings.Create().WithUrl(guarded.Endpoint.ToString());
        using var without = settings.CreateClient();
        using var with = (settings with { BasicAuthCredentials = "key:secret" }).CreateClient();

        var refused = await Assert.ThrowsAsync<SchemaRegistryException>(() => without.RegisterSchemaAsync(Subject, new Confluent.SchemaRegistry.Schema(Open, SchemaType.Json)));
        var id = await with.RegisterSchemaAsync(Subject, new Confluent.SchemaRegistry.Schema(Open, SchemaType.Json));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Equal(1, id);
    }

    private static StringContent Body(string schema) =>
        new(new JsonObject { ["schemaType"] = "JSON", ["schema"] = schema }.ToJsonString(), Encoding.UTF8, "application/vnd.schemaregistry.v1+json");
}
