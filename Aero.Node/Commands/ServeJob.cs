using Aero.Node.Configuration;
using Aero.Node.Hosting;
using Aero.Warehouse;
using Aero.Streams.Load;
using Aero.Streams.Archive;

namespace Aero.Node.Commands;

/// <summary>
/// The long-running node: the load graph on a cluster member, no extract and no progress display, every line a log
/// line on standard output (in <c>aero.logging.format</c>, JSON on GKE). It runs until SIGTERM (or Ctrl+C, or
/// <c>aero cluster leave</c>), then drains its graphs, leaves the cluster and exits 0; 1 when it stopped by itself.
/// </summary>
public static class ServeJob
{
    public static async Task<int> ExecuteAsync(ServeOptions options, CancellationToken cancellation)
    {
        var config = AeroConfiguration.Load(options.Config);
        var logging = LoggingSettings.Create(config);
        logging = options.LogFormat is { } format ? logging.WithFormat(format) : logging;
        await using var log = NodeLogging.Install(logging, LogTarget.StandardOutput);
        var output = JobOutput.Log;
        try
        {
            await using var host = await LoadNode.StartAsync(config, options.Bootstrap, ArchiveSettings.Create(config).OnServe, output, cancellation);
            output.Info($"Serving; SIGTERM drains the pipeline, leaves the cluster and exits.");
            try
            {
                await Task.WhenAny(host.StoppedByItself, Task.Delay(Timeout.Infinite, cancellation));
            }
            finally
            {
                if (cancellation.IsCancellationRequested)
                {
                    output.Info($"Stopping: draining in-flight records.");
                }
            }

            if (!await host.StopAsync(output))
            {
                return 1;
            }

            output.Info($"{new RunSummary(0, 0, host.Progress.Stored, host.Progress.AlreadyStored, host.Progress.DeadLettered, await host.Warehouse.CountAsync(WarehouseTables.FlightsRaw, CancellationToken.None), TimeSpan.Zero)}");
            return 0;
        }
        catch (Exception error) when (error is not OutOfMemoryException and not OperationCanceledException)
        {
            // Logged, so that a collector reading JSON lines gets it as one.
            output.Error($"aero serve: {error.Message}");
            return 1;
        }
    }
}
