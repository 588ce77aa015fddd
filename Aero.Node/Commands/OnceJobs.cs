using System.Globalization;
using Aero.Actors.Jobs;
using Aero.Warehouse;
using Akka.Event;
using Spectre.Console;

namespace Aero.Node.Commands;

/// <summary>
/// <c>aero run --once</c>, after the load: every job once, in order, on the warehouse just loaded, each recorded in
/// <c>_aero_jobs</c> like a scheduled run, then one headline per job from its output.
/// </summary>
public static class OnceJobs
{
    // The headline of each built-in job: the row that says most, how to say it, and why a run may write nothing (the
    // bundled sample names no airline and has no arrival times). Another job gets its row count.
    private static readonly Dictionary<string, (string Sql, Func<object?[], string> Line, string Empty)> Headlines = new(StringComparer.Ordinal)
    {
        ["delays-by-month"] = (
            "SELECT year, month, flights, avg_departure_delay FROM job_delays_by_month WHERE period = 'all' AND avg_departure_delay IS NOT NULL ORDER BY avg_departure_delay DESC LIMIT 1",
            r => $"worst {Number(r[0]):0}-{Number(r[1]):00}, avg delay {Number(r[3]):0.0} min ({Number(r[2]):N0} flights)",
            "no flights stored"),
        ["airline-ranking"] = (
            "SELECT airline, flights, on_time_share FROM job_airline_ranking WHERE period = 'all' ORDER BY volume_rank LIMIT 1",
            r => $"busiest {r[0]}, {Number(r[1]):N0} flights, {Number(r[2]) * 100:0.0}% on time",
            "no flight names its airline"),
        ["top-routes"] = (
            "SELECT route, flights, avg_departure_delay FROM job_top_routes WHERE period = 'all' ORDER BY volume_rank LIMIT 1",
            r => $"top {r[0]}, {Number(r[1]):N0} flights, avg delay {Number(r[2]):0.0} min",
            "no flight has both airports"),
        ["airport-congestion"] = (
            "SELECT airport, day_of_week, hour_of_day, departures FROM job_airport_congestion WHERE period = 'all' ORDER BY departures DESC, airport LIMIT 1",
            r => $"busiest {r[0]} day {Number(r[1]):0} {Number(r[2]):00}h UTC, {Number(r[3]):N0} departures",
            "no flight has an airport of departure"),
        ["dashboard-summary"] = (
            "SELECT flights, on_time_share, avg_departure_delay_minutes FROM job_dashboard_summary WHERE period = 'all' AND dimension = 'all'",
            r => $"{Number(r[0]):N0} flights, {Number(r[1]) * 100:0.0}% on time, avg delay {Number(r[2]):0.0} min",
            "no flights stored"),
        ["delay-propagation"] = (
            "SELECT airport, correlation, hours FROM job_delay_propagation WHERE period = 'all' AND correlation IS NOT NULL ORDER BY hours DESC, airport LIMIT 1",
            r => $"{r[0]}: r = {Number(r[1]):0.00} over {Number(r[2]):N0} hours",
            "no arrivals followed by departures an hour later"),
    };

    /// <summary>Runs the jobs and prints their headlines; false (having said which) when a job failed.</summary>
    public static async Task<bool> RunAsync(JobsRuntime runtime, IWarehouseQuery warehouse, CancellationToken cancellation)
    {
        await using var scheduler = new JobScheduler(runtime.Settings, runtime.Engines, runtime.Store, runtime.Clock, $"run-once#{Guid.NewGuid():N}", NoLogger.Instance);
        await scheduler.StartAsync(cancellation);
        var succeeded = true;
        // Flows extract their folders on their schedule; --once loads its own input.
        foreach (var job in runtime.Settings.Jobs.Where(j => j.Flow is null))
        {
            var started = await scheduler.RunNowAsync(job.Name, null, cancellation);
            await scheduler.WhenIdleAsync();
            var run = (await scheduler.GetAsync(started.RunId, cancellation))!;
            if (run.State != JobRunState.Succeeded)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]Job {job.Name}: {run.State} after {run.Attempt} attempts: {run.Error}[/]");
                succeeded = false;
                continue;
            }

            var known = Headlines.GetValueOrDefault(job.Name);
            var headline = known.Sql is null ? ""
                : (await warehouse.QueryAsync(known.Sql, cancellation)).Rows is [var row, ..] ? known.Line(row)
                : run.RowsWritten == 0 ? known.Empty
                : "";
            // One line each, within 80 columns for the built-in jobs.
            AnsiConsole.MarkupLineInterpolated($"[bold]{job.Name}[/]: {run.RowsWritten:N0} rows{(headline.Length > 0 ? "; " : "")}{headline}");
        }

        return succeeded;
    }

    private static double Number(object? value) => value is null ? double.NaN : Convert.ToDouble(value, CultureInfo.InvariantCulture);
}
