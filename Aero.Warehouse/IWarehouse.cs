namespace Aero.Warehouse;

/// <summary>
/// An open warehouse (<see cref="Warehouses.OpenAsync(Akka.Configuration.Config?, CancellationToken)"/>): both its sides,
/// what it is, and its connections to close. The load takes only its <see cref="IWarehouseWriter"/> side, queries only
/// its <see cref="IWarehouseQuery"/> side. Every backend (DuckDB, PostgreSQL, BigQuery) passes the same conformance suite.
/// </summary>
public interface IWarehouse : IWarehouseWriter, IWarehouseQuery, IAsyncDisposable;
