using Aero.Actors.Jobs.Engines;
using Aero.Actors.Jobs.SparkConnect;
using Aero.Warehouse;
using Aero.Warehouse.BigQuery;
using Aero.Warehouse.DuckDb;
using Aero.Warehouse.Postgres;
using Akka.Configuration;

namespace Aero.Actors.Jobs;

/// <summary>
/// What the coordinator's job scheduler needs from its node: the job settings, the engines, and the run store. The node
/// registers one as a service; a node without one (no warehouse) schedules no jobs.
/// </summary>
public sealed record JobsRuntime(JobsSettings Settings, IReadOnlyDictionary<string, IJobEngine> Engines, JobRunStore Store, TimeProvider Clock)
{
    /// <summary>
    /// The engines of a DuckDB, PostgreSQL or BigQuery warehouse (<c>warehouse</c> and its kind's name) and the jobs
    /// read against them, which refuses a bad definition before the node starts; the spark engine when
    /// <c>aero.jobs.spark-connect</c> has an endpoint; the flow engine when given the node's <paramref name="flowLoad"/>
    /// (a node without one reads flows' definitions but runs none). The runs are kept in the warehouse's <c>_aero_jobs</c>.
    /// </summary>
    public static JobsRuntime Create(Config config, IWarehouse warehouse, FlowLoad? flowLoad = null)
    {
        var (own, store) = warehouse switch
        {
            DuckDbWarehouse duckDb => ((IJobEngine)new WarehouseSqlEngine("duckdb", "duckdb", duckDb), new JobRunStore(duckDb, duckDb)),
            PostgresWarehouse postgres => (new WarehouseSqlEngine("postgres", "postgres", postgres), new JobRunStore(postgres, postgres)),
            BigQueryWarehouse bigQuery => (new BigQueryJobEngine("bigquery", bigQuery), JobRunStore.OnBigQuery(bigQuery)),
            _ => throw new ConfigurationException($"aero.warehouse.kind: the jobs keep their runs in the warehouse (_aero_jobs), which needs duckdb, postgres or bigquery, not {warehouse.GetType().Name}."),
        };

        var engines = new Dictionary<string, IJobEngine>(StringComparer.Ordinal) { ["warehouse"] = own, [own.Name] = own };
        var spark = SparkConnectSettings.Create(config);
        if (spark.Endpoint is not null)
        {
            engines["spark"] = new SparkJobEngine(log => new SparkConnectClient(spark, log));
        }

        var settings = JobsSettings.Create(config, engines.ToDictionary(e => e.Key, e => e.Value.Dialect, StringComparer.Ordinal));
        if (flowLoad is not null)
        {
            engines[JobsSettings.FlowEngine] = new FlowEngine(flowLoad, store.FlowFiles, settings.TickInterval, TimeProvider.System);
        }

        return new JobsRuntime(settings, engines, store, TimeProvider.System);
    }
}
