namespace Aero.FakeBigQuery.Tests;

/// <summary>The fake's error envelopes as <c>bq</c> reads them (a class of its own so it runs beside <see cref="BqCliSpec"/>).</summary>
public sealed class BqCliErrorSpec : FakeSpec
{
    [Fact]
    public async Task Bq_should_report_the_fakes_errors()
    {
        using var bq = new BqCli(Server.Endpoint);
        await bq.RunAsync("mk", "ops");

        var again = await bq.RunAsync("mk", "--force=false", "ops");
        var legacy = await bq.RunAsync("query", "--use_legacy_sql", "SELECT 1");
        var missing = await bq.RunAsync("show", "ops.nope");

        Assert.Contains("already exists", again.Output, StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(0, legacy.ExitCode);
        Assert.Contains("Legacy SQL is not supported by the fake", legacy.Output, StringComparison.Ordinal);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("Not found: Table demo:ops.nope", missing.Output, StringComparison.Ordinal);
    }
}
