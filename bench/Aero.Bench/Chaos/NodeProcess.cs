using System.Diagnostics;

namespace Aero.Bench.Chaos;

/// <summary>One <c>aero serve</c> node of the campaign; its output goes to a file of its own, each start appended.</summary>
internal sealed class NodeProcess(int index, string aeroDll, string config, string bootstrap, string logPath) : IDisposable
{
    private Process? _process;

    public int Index => index;

    public bool Running => _process is { HasExited: false };

    public int Starts { get; private set; }

    public void Start()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { aeroDll, "serve", "--bootstrap", bootstrap, "--config", config })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["NO_COLOR"] = "1";
        start.Environment["COLUMNS"] = "200";
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        log.WriteLine($"==== start {++Starts} at {DateTime.UtcNow:O}");
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Exited += (_, _) => Write(log, $"==== exited at {DateTime.UtcNow:O}");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    /// <summary>SIGKILL: no drain, no leave; the cluster must down it and the others must take over its partitions.</summary>
    public void Kill() => _process?.Kill(entireProcessTree: true);

    /// <summary>SIGTERM: drain, commit, leave; true when the node exited 0 within <paramref name="timeout"/>.</summary>
    public async Task<bool> TerminateAsync(TimeSpan timeout)
    {
        if (_process is not { HasExited: false } process)
        {
            return false;
        }

        await Signals.SendAsync("TERM", process.Id);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            return process.ExitCode == 0;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return false;
        }
    }

    public int? ExitCode => _process is { HasExited: true } process ? process.ExitCode : null;

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
        }

        _process?.Dispose();
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }
}
