using System.Diagnostics;
using Aero.Kafka;
using Aero.Kafka.Settings;
using Aero.Node.Configuration;
using Aero.Node.Hosting;
using Aero.Streams.Extract;
using Aero.Streams.Schema;
using Aero.Warehouse;
using Akka.Streams;
using Spectre.Console;

namespace Aero.Node.Commands;

/// <summary>
/// The laptop job: extract the flights file into <c>flights-raw</c>, and load <c>flights-raw</c> into the warehouse
/// exactly once, on the embedded Kafka unless a bootstrap is given, showing its progress and a summary. Its log goes
/// to <c>aero.logging.file</c> (named in the summary) unless <c>--verbose</c>.
/// </summary>
public static class RunJob
{
    public static async Task<int> ExecuteAsync(RunOptions options, CancellationToken cancellation)
    {
        var started = Stopwatch.StartNew();
        var config = AeroConfiguration.Load(options.Config);
        if (options.WarehousePath is not null)
        {
            config = AeroConfiguration.With(AeroConfiguration.With(config, "aero.warehouse.duckdb.path", options.WarehousePath), "aero.warehouse.kind", "duckdb");
        }

        if (options.Format is { } fileFormat)
        {
            config = AeroConfiguration.With(config, "aero.extract.files.format", fileFormat);
        }

        if (options.Once)
        {
            // --once runs every job itself once the load is done; nothing runs by its schedule on data half loaded.
            config = AeroConfiguration.With(config, "aero.jobs.scheduled", "off");
        }

        // Every setting is read (and so checked) before anything starts, so a bad one fails the run at once.
        var extractSettings = ExtractSettings.Create(config);
        var fileSettings = FileSourceSettings.Create(config);
        var runSettings = RunSettings.Create(config);
        var logging = LoggingSettings.Create(config);
        logging = options.LogFormat is { } format ? logging.WithFormat(format) : logging;
        await using var log = NodeLogging.Install(logging, options.Verbose ? LogTarget.StandardError : LogTarget.File);
        var output = JobOutput.Terminal;
        await using var host = await LoadNode.StartAsync(config, options.Bootstrap, options.Archive, output, cancellation);

        long produced = 0;
        long deadLettered = 0;
        string? stall = null;
        try
        {
            if (!options.NoExtract)
            {
                var input = AeroConfiguration.ResolveInput(options.Input ?? config.GetString("aero.extract.input"));
                var tally = await ExtractAsync(input, extractSettings, host.Kafka.Producer, config, fileSettings, host.Node.System.Materializer(), cancellation);
                (produced, deadLettered) = (tally.Produced, tally.DeadLettered);
            }

            if (options.Once)
            {
                stall = await LoadUntilLogEndAsync(host, runSettings, output, cancellation);
            }
            else
            {
                output.Info($"Running; Ctrl+C or SIGTERM drains the pipeline and exits.");
                await Task.WhenAny(host.StoppedByItself, Task.Delay(Timeout.Infinite, cancellation));
                cancellation.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            output.Info($"Stopping: draining in-flight records.");
        }

        if (stall is not null)
        {
            output.Error($"{stall}");
            await host.Node.StopAsync();
            return 1;
        }

        if (!await host.StopAsync(output))
        {
            return 1;
        }

        // --once read every partition to its end: every window is final now (issue 17 §3), and the busiest are shown.
        var busiest = options.Once ? await RunWindows.FinishAsync(host, config) : [];
        var summary = new RunSummary(
            produced, deadLettered, host.Progress.Stored, host.Progress.AlreadyStored, host.Progress.DeadLettered,
            await host.Warehouse.CountAsync(WarehouseTables.FlightsRaw, CancellationToken.None), started.Elapsed)
        {
            Flights = await host.Warehouse.CountAsync(WarehouseTables.Flights, CancellationToken.None),
        };
        Print(summary, options.Verbose ? null : Path.GetFullPath(logging.File));
        RunWindows.Print(busiest);
        if (options.Once && host.Jobs is { } jobs && !await OnceJobs.RunAsync(jobs, host.Warehouse, cancellation))
        {
            return 1;
        }

        return 0;
    }

    /// <summary>
    /// --once: waits until the warehouse's offsets, whichever node of the group stored them, reach the log end, showing
    /// how far it is; drains the node; returns why it gave up when the offsets stopped moving, or null.
    /// </summary>
    private static async Task<string?> LoadUntilLogEndAsync(LoadNode host, RunSettings settings, JobOutput output, CancellationToken cancellation)
    {
        var logEnd = host.LogEnd();
        var watch = new OnceWatch(logEnd, settings.OnceStallTimeout, TimeProvider.System);
        var (archivedBefore, archiveMoved) = (-1L, TimeProvider.System.GetTimestamp());
        await using var display = new LoadDisplay(watch, host.Progress, settings.OnceProgressInterval);
        var stored = host.Progress.Merge(new Dictionary<int, long>());
        while (!host.StoppedByItself.IsCompleted)
        {
            try
            {
                stored = host.Progress.Merge(await host.Warehouse.StoredOffsetsAsync(host.ClusterId, host.Topic, cancellation));
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // A warehouse that cannot answer makes no progress either; the stall timeout bounds the wait. Said in the
                // log, not over the progress display.
                Serilog.Log.ForContext("SourceContext", typeof(RunJob).FullName).Warning(error, "Reading the warehouse's offsets failed");
                stored = host.Progress.Merge(new Dictionary<int, long>());
            }

            var outcome = watch.Observe(stored);
            display.Report(stored);
            if (outcome == OnceOutcome.Stalled)
            {
                await display.FinishAsync(stored);
                return watch.StallMessage(stored);
            }

            // With --archive, the drain publishes the files being written: it waits until the archive has read them all.
            if (outcome == OnceOutcome.Done && (host.Archived is not { } archived || archived.Reached(logEnd)))
            {
                break;
            }

            if (outcome == OnceOutcome.Done && host.Archived!.Total != archivedBefore)
            {
                (archivedBefore, archiveMoved) = (host.Archived.Total, TimeProvider.System.GetTimestamp());
            }
            else if (outcome == OnceOutcome.Done && TimeProvider.System.GetElapsedTime(archiveMoved) >= settings.OnceStallTimeout)
            {
                await display.FinishAsync(stored);
                return $"The warehouse holds every record, but the archive has not read on for {settings.OnceStallTimeout} (see the log for its failures).";
            }

            await Task.WhenAny(host.StoppedByItself, Task.Delay(settings.OncePollInterval, cancellation));
            cancellation.ThrowIfCancellationRequested();
        }

        // The figures after the drain include every batch this node stored.
        await host.StopAsync(output);
        await display.FinishAsync(host.Progress.Merge(stored));
        return null;
    }

    /// <summary>The extract of <c>aero produce</c>; an extract that does not balance, or that Kafka refused, fails the run.</summary>
    private static async Task<ExtractTally> ExtractAsync(string input, ExtractSettings settings, ProducerSettings producerSettings, Akka.Configuration.Config config, FileSourceSettings files, IMaterializer materializer, CancellationToken cancellation)
    {
        var source = await ExtractInput.OpenAsync(input, config, files, cancellation);
        var framed = await FramedValueWriter.ForTopicAsync(SchemaRegistrySettings.Create(config), settings.RawTopic, RecordSchemas.FlightRecord, cancellation);
        var outcome = await ExtractRun.RunAsync(source, settings, producerSettings, rate: 0, materializer, cancellation, framed);
        cancellation.ThrowIfCancellationRequested();
        if (outcome.Problem is { } problem)
        {
            ExtractRun.ReportTooManyRejected(outcome);
            throw new InvalidOperationException($"The extract of {source.Description} failed: {problem}", outcome.Failure);
        }

        AnsiConsole.MarkupLineInterpolated($"Extracted {source.Description}: [bold]{outcome.Tally.Produced:N0}[/] records to {settings.RawTopic}, {outcome.Tally.DeadLettered:N0} dead-lettered to {settings.DeadLetterTopic}, {outcome.Tally.Skipped:N0} input entries skipped");
        return outcome.Tally;
    }

    private static void Print(RunSummary summary, string? logFile)
    {
        var table = new Table().AddColumns("Produced", "Rejected at extract", "Stored", "Already stored", "Dead-lettered at load", "Rows in flights_raw", "Seconds");
        table.AddRow(
            $"{summary.Produced:N0}", $"{summary.ExtractDeadLettered:N0}", $"{summary.Stored:N0}", $"{summary.AlreadyStored:N0}", $"{summary.DeadLettered:N0}",
            $"{summary.RowsInWarehouse:N0}", $"{summary.Elapsed.TotalSeconds:F1}");
        AnsiConsole.Write(table);
        Console.WriteLine(summary.ToString());
        if (logFile is not null)
        {
            Console.WriteLine($"log: {logFile}");
        }
    }
}
