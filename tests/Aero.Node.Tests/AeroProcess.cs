using System.Diagnostics;
using System.Text;

namespace Aero.Node.Tests;

/// <summary>Runs the real <c>aero</c> executable (or another program) as a child process, capturing its output.</summary>
public sealed class AeroProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(string Text, TaskCompletionSource Seen)> _awaited = [];

    private AeroProcess(string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string>? environment, string? standardInput)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // A wide, plain console so Spectre's tables and status lines stay readable in the captured output.
        start.Environment["COLUMNS"] = "200";
        start.Environment["NO_COLOR"] = "1";
        // The test overlay: free ports, so nodes of concurrent tests never collide; quick failure detection.
        start.Environment["AERO_ENV"] = "test";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Exited += (_, _) => _exited.TrySetResult();
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (standardInput is not null)
        {
            _process.StandardInput.Write(standardInput);
            _process.StandardInput.Close();
        }
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public int Id => _process.Id;

    public static AeroProcess StartAero(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        new("dotnet", [Path.Combine(AppContext.BaseDirectory, "aero.dll"), .. arguments], workingDirectory, environment, null);

    /// <summary><c>aero</c> started by <paramref name="launcher"/> (a program and its arguments that exec the rest, e.g. <c>unshare</c>).</summary>
    public static AeroProcess StartAeroThrough(IReadOnlyList<string> launcher, string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        new(launcher[0], [.. launcher.Skip(1), "dotnet", Path.Combine(AppContext.BaseDirectory, "aero.dll"), .. arguments], workingDirectory, environment, null);

    public static AeroProcess Start(string fileName, string workingDirectory, string? standardInput, params string[] arguments) =>
        new(fileName, arguments, workingDirectory, null, standardInput);

    /// <summary>Waits for the exit code; a process still running after <paramref name="timeout"/> is killed and the test fails with its output.</summary>
    public async Task<int> ExitCodeAsync(TimeSpan timeout)
    {
        try
        {
            await _exited.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{_process.StartInfo.FileName} {string.Join(' ', _process.StartInfo.ArgumentList)} did not exit within {timeout}. Output:\n{Output}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Completes when a line containing <paramref name="text"/> is printed.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            if (_output.ToString().Contains(text, StringComparison.Ordinal))
            {
                return;
            }

            _awaited.Add((text, seen));
        }

        try
        {
            await seen.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"'{text}' was not printed within {timeout}. Output:\n{Output}");
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Sends SIGKILL: no drain, no commit, no clean-up. False when the process had already exited.</summary>
    public bool Kill()
    {
        if (_process.HasExited)
        {
            return false;
        }

        _process.Kill();
        _process.WaitForExit();
        return true;
    }

    /// <summary>Sends SIGTERM, as Kubernetes and systemd do.</summary>
    public void Terminate() => Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            foreach (var (text, seen) in _awaited.Where(a => line.Contains(a.Text, StringComparison.Ordinal)))
            {
                seen.TrySetResult();
            }
        }
    }
}
