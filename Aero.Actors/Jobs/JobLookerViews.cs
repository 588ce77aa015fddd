using System.Data.Common;
using System.Globalization;
using Aero.Warehouse;
using Aero.Warehouse.BigQuery;
using Aero.Warehouse.Views;

namespace Aero.Actors.Jobs;

/// <summary>
/// The configured jobs' views for Looker: each job whose output is a table of the warehouse has its table and view
/// created when missing (as the coordinator's scheduler does on start), and is described from the view's columns as
/// the warehouse reports them, so a job added to the configuration is offered without a line of code.
/// </summary>
public static class JobLookerViews
{
    public static async Task<IReadOnlyList<JobLookerView>> DescribeAsync(JobsRuntime jobs, IWarehouseQuery warehouse, CancellationToken cancellation)
    {
        var described = new List<JobLookerView>(jobs.Settings.Jobs.Count);
        // A flow has no output of its own: what it extracts lands in the load's tables.
        foreach (var job in jobs.Settings.Jobs.Where(j => j.Flow is null))
        {
            if (jobs.Engines[job.Engine] is not IJobOutputs engine)
            {
                // Spark writes to its own catalog.
                described.Add(new(job.Name, job.Output, null, 0, $"runs on {jobs.Engines[job.Engine].Name}, which keeps no view over its output"));
                continue;
            }

            try
            {
                var view = await engine.EnsureOutputAsync(job, jobs.Clock.GetUtcNow(), cancellation);
                var columns = (await warehouse.QueryAsync($"SELECT * FROM {view} LIMIT 0", cancellation)).Columns;
                var rows = await CountAsync(warehouse, job.Output, cancellation);
                var note = rows > 0 ? null
                    : await CountAsync(warehouse, $"{JobRunStore.Table} WHERE job = {JobSqlText.Text(job.Name)} AND state = 'succeeded'", cancellation) == 0 ? "no rows yet: the job has not run"
                    : "no rows: its runs found nothing to write";
                described.Add(new(job.Name, job.Output, JobOutputViews.Define(job.Name, job.Output, columns, job.Measures), rows, note));
            }
            catch (Exception error) when (error is DbException or BigQueryException or InvalidOperationException)
            {
                described.Add(new(job.Name, job.Output, null, 0, null, error.Message));
            }
        }

        return described;
    }

    private static async Task<long> CountAsync(IWarehouseQuery warehouse, string from, CancellationToken cancellation) =>
        Convert.ToInt64((await warehouse.QueryAsync($"SELECT count(*) FROM {from}", cancellation)).Rows[0][0], CultureInfo.InvariantCulture);
}
