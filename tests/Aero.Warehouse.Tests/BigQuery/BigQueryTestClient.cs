using Aero.Warehouse.BigQuery;
using Akka.Event;

namespace Aero.Warehouse.Tests.BigQuery;

/// <summary>The warehouse's own REST client, for arranging what a spec needs (an older table, a job of its own).</summary>
internal sealed class BigQueryTestClient : IAsyncDisposable
{
    private BigQueryTestClient(BigQueryClient client) => Client = client;

    public BigQueryClient Client { get; }

    public static async Task<BigQueryTestClient> CreateAsync(BigQuerySettings settings)
    {
        var tokens = await BigQueryTokenSource.CreateAsync(settings, CancellationToken.None);
        return new BigQueryTestClient(new BigQueryClient(settings, tokens, new BigQueryRetry(settings, NoLogger.Instance, TimeProvider.System), NoLogger.Instance, TimeProvider.System));
    }

    public ValueTask DisposeAsync()
    {
        Client.Dispose();
        return ValueTask.CompletedTask;
    }
}
