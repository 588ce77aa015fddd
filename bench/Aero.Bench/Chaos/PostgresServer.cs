using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Aero.Bench.Chaos;

/// <summary>
/// The campaign's own PostgreSQL server, as a fault target: a server of its own on <c>port</c> with its data in
/// <c>dataDirectory</c> (started by <c>scripts/start-postgres</c>), so stalling or restarting it never touches the
/// server other work uses. Stalled: every server process stopped with SIGSTOP, so connections hang rather than fail.
/// Restarted: fast shutdown, then started again.
/// </summary>
internal sealed class PostgresServer(string repository, int port, string dataDirectory)
{
    public string ConnectionString { get; } = $"Host=127.0.0.1;Port={port};Username=aero;Password=aero;Database=aero";

    /// <summary>Starts the server (initialising it the first time) and checks this process may signal it: it needs root.</summary>
    public async Task StartAsync()
    {
        if (Environment.UserName != "root")
        {
            throw new InvalidOperationException($"The campaign runs, stalls and restarts a PostgreSQL server of its own, which needs root; it runs as {Environment.UserName}.");
        }

        await RunStartScriptAsync();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        _ = Postmaster();
    }

    public async Task StallAsync(TimeSpan length)
    {
        var processes = ServerProcesses();
        await Signals.SendAsync("STOP", processes);
        try
        {
            await Task.Delay(length);
        }
        finally
        {
            await Signals.SendAsync("CONT", processes);
        }
    }

    public async Task RestartAsync()
    {
        var postmaster = Postmaster();
        // SIGINT is PostgreSQL's fast shutdown: open transactions are rolled back, clients disconnected.
        await Signals.SendAsync("INT", postmaster);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (Directory.Exists($"/proc/{postmaster}"))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"PostgreSQL (pid {postmaster}) did not shut down within 60 s.");
            }

            await Task.Delay(100);
        }

        await RunStartScriptAsync();
    }

    /// <summary>Stops the server for good at the end of the campaign.</summary>
    public async Task StopAsync() => await Signals.SendAsync("INT", Postmaster());

    private async Task RunStartScriptAsync()
    {
        var start = new ProcessStartInfo("bash", ["-x", Path.Combine(repository, "scripts", "start-postgres")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["AERO_POSTGRES_PORT"] = port.ToString(CultureInfo.InvariantCulture),
                ["AERO_POSTGRES_DATA"] = dataDirectory,
                // Each traced line with its time, so a slow start says where it waited.
                ["PS4"] = "+ $(date +%T.%N) ",
            },
        };
        using var script = Process.Start(start)!;
        // Read both to the end: the server it starts must not hold this process's pipes, and the script's words are the error.
        var output = script.StandardOutput.ReadToEndAsync();
        var error = script.StandardError.ReadToEndAsync();
        await script.WaitForExitAsync();
        await File.AppendAllTextAsync(Path.Combine(dataDirectory, "..", $"aero-chaos-{port}-starts.log"), $"==== {DateTime.UtcNow:O} exit {script.ExitCode}\n{await error}");
        if (script.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/start-postgres (port {port}, data {dataDirectory}) failed: {await output}{await error}");
        }
    }

    /// <summary>This server's main process: the <c>postgres</c> process started with its data directory.</summary>
    private int Postmaster()
    {
        foreach (var (id, _, command) in Processes())
        {
            if (command == "postgres" && CommandLine(id).Contains(dataDirectory, StringComparison.Ordinal))
            {
                return id;
            }
        }

        throw new InvalidOperationException($"No PostgreSQL server with data in {dataDirectory} runs on this machine.");
    }

    /// <summary>The postmaster and its children (backends, checkpointer, WAL writer, ...).</summary>
    private List<int> ServerProcesses()
    {
        var postmaster = Postmaster();
        return [postmaster, .. Processes().Where(p => p.Parent == postmaster).Select(p => p.Id)];
    }

    private static string CommandLine(int id)
    {
        try
        {
            return File.ReadAllText($"/proc/{id}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static List<(int Id, int Parent, string Command)> Processes()
    {
        var processes = new List<(int, int, string)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                continue;
            }

            try
            {
                // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after its last parenthesis.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var open = stat.IndexOf('(', StringComparison.Ordinal);
                var close = stat.LastIndexOf(')');
                var fields = stat[(close + 2)..].Split(' ');
                processes.Add((id, int.Parse(fields[1], CultureInfo.InvariantCulture), stat[(open + 1)..close]));
            }
            catch (IOException)
            {
                // The process ended while it was read.
            }
        }

        return processes;
    }
}
