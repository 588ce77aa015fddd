using Aero.FakeBigQuery;
using Aero.Warehouse.BigQuery;
using Xunit;

namespace Aero.Warehouse.Tests.BigQuery;

/// <summary>One fake BigQuery per test, started on the first open; every open reaches the same dataset.</summary>
internal sealed class FakeBigQueryStore(BigQueryWriteMode mode) : IDisposable
{
    private readonly SemaphoreSlim _starting = new(1, 1);
    private FakeBigQueryServer? _fake;

    public async Task<IWarehouse> OpenAsync()
    {
        await _starting.WaitAsync();
        try
        {
            _fake ??= await FakeBigQueryServer.StartAsync();
        }
        finally
        {
            _starting.Release();
        }

        return await BigQueryWarehouse.OpenAsync(BigQueryTestData.Settings(_fake, mode));
    }

    public void Dispose()
    {
        if (_fake is not null)
        {
            Assert.Empty(_fake.ContractViolations);
            _fake.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        _starting.Dispose();
    }
}
