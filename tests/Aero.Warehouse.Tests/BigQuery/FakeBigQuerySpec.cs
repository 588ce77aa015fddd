using Aero.FakeBigQuery;
using Xunit;

namespace Aero.Warehouse.Tests.BigQuery;

/// <summary>A fake BigQuery per spec; every spec ends by checking that nothing sent or answered broke Google's contract.</summary>
public abstract class FakeBigQuerySpec : IAsyncLifetime
{
    protected FakeBigQueryServer Fake { get; private set; } = null!;

    public async Task InitializeAsync() => Fake = await FakeBigQueryServer.StartAsync();

    public virtual async Task DisposeAsync()
    {
        Assert.Empty(Fake.ContractViolations);
        await Fake.DisposeAsync();
    }
}
