using Aero.Warehouse.BigQuery;

namespace Aero.Warehouse.Tests.BigQuery;

/// <summary>The views over the windows' and jobs' tables on the fake BigQuery.</summary>
public sealed class BigQueryOperationalViewsSpec : OperationalViewsConformance, IDisposable
{
    private readonly FakeBigQueryStore _store = new(BigQueryWriteMode.Streaming);

    protected override Task<IWarehouse> OpenAsync() => _store.OpenAsync();

    protected override async Task ExecuteAsync(IWarehouse warehouse, IReadOnlyList<TransactionStatement> statements)
    {
        foreach (var statement in statements)
        {
            await ((BigQueryWarehouse)warehouse).ExecuteDmlAsync(statement.Sql);
        }
    }

    public void Dispose() => _store.Dispose();
}
