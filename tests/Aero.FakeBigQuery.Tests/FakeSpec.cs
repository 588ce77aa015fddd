namespace Aero.FakeBigQuery.Tests;

/// <summary>Base of the HTTP specs: a fresh fake and client per spec, and the contract check after each one.</summary>
public abstract class FakeSpec : IAsyncLifetime
{
    private readonly FakeBigQueryOptions _options;

    protected FakeSpec(FakeBigQueryOptions? options = null) => _options = options ?? new FakeBigQueryOptions();

    protected FakeBigQueryServer Server { get; private set; } = null!;

    protected BigQueryHttp Api { get; private set; } = null!;

    protected const string P = BigQueryHttp.Project;

    public async Task InitializeAsync()
    {
        Server = await FakeBigQueryServer.StartAsync(_options);
        Api = new BigQueryHttp(Server);
    }

    public async Task DisposeAsync()
    {
        Api.Dispose();
        var violations = Server.ContractViolations;
        await Server.DisposeAsync();
        Assert.Empty(violations);
    }
}
