using System.CommandLine;
using System.Data.Common;
using Aero.Actors.Jobs;
using Aero.Node.Configuration;
using Aero.Warehouse;
using Aero.Warehouse.Views;
using Akka.Configuration;
using Spectre.Console;

namespace Aero.Node.Commands;

/// <summary>
/// <c>aero looker generate</c>: LookML for the views the warehouse creates on start, and for the view over each
/// configured job's output (<see cref="JobLookerViews"/>), read from the warehouse, which it opens.
/// </summary>
public static class LookerCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "The folder to write the model and its views folder into", Required = true };
        var connection = new Option<string>("--connection") { Description = "The Looker connection the model uses", DefaultValueFactory = _ => "aero" };
        var config = new Option<string?>("--config") { Description = "HOCON configuration file (default: hocon/aero.conf beside aero)" };
        var kind = new Option<string?>("--warehouse-kind") { Description = "duckdb, postgres or bigquery (default: aero.warehouse.kind)" };
        kind.AcceptOnlyFromAmong("duckdb", "postgres", "bigquery");
        var generate = new Command("generate", "Write LookML (a model with an explore per view, one view file per warehouse view and per job's output)");
        foreach (var option in new Option[] { output, connection, config, kind })
        {
            generate.Options.Add(option);
        }

        generate.SetAction((result, cancellation) => GenerateAsync(result.GetValue(output)!, result.GetValue(connection)!, result.GetValue(config), result.GetValue(kind), cancellation));
        var looker = new Command("looker", "Looker tools");
        looker.Subcommands.Add(generate);
        return looker;
    }

    private static async Task<int> GenerateAsync(string folder, string connection, string? configPath, string? kind, CancellationToken cancellation)
    {
        var config = AeroConfiguration.Load(configPath);
        if (kind is not null)
        {
            config = AeroConfiguration.With(config, "aero.warehouse.kind", kind);
        }

        IReadOnlyList<WarehouseView> views;
        IReadOnlyList<JobLookerView> jobs;
        try
        {
            await using var warehouse = await Warehouses.OpenAsync(config, cancellation);
            views = warehouse.Views;
            jobs = await JobLookerViews.DescribeAsync(JobsRuntime.Create(config, warehouse), warehouse, cancellation);
        }
        catch (Exception error) when (error is DbException or ConfigurationException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"aero looker generate: {error.Message}");
            return 1;
        }

        List<WarehouseView> jobViews = [.. jobs.Select(j => j.View).OfType<WarehouseView>()];
        foreach (var (name, text) in LookMl.Files(connection, [.. views, .. jobViews]))
        {
            var path = Path.Combine(folder, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, text, cancellation);
        }

        foreach (var job in jobs)
        {
            var view = job.View is null ? "no view" : $"view {job.View.Name}, {job.Rows:N0} rows";
            var note = job.Problem is not null ? $"[red]{Markup.Escape(job.Problem)}[/]" : job.Note is not null ? $"[yellow]{Markup.Escape(job.Note)}[/]" : "";
            AnsiConsole.MarkupLine($"Job [bold]{Markup.Escape(job.Job)}[/] ({Markup.Escape(job.Output)}): {Markup.Escape(view)} {note}");
        }

        AnsiConsole.MarkupLineInterpolated($"LookML for {views.Count + jobViews.Count} views ({jobViews.Count} over jobs' outputs) written to [bold]{Path.GetFullPath(folder)}[/]");
        return jobs.Any(j => j.Problem is not null) ? 1 : 0;
    }
}
