using System.Net;
using System.Net.Sockets;
using Aero.Warehouse.Postgres;
using Npgsql;

namespace Aero.Node.Tests;

/// <summary>
/// What a process spec needs from the machine beyond .NET, checked before it starts anything, so a missing part fails
/// the spec at once with its name and how to get it, never as a bare timeout or process error (issue 13 §3).
/// </summary>
public static class Preconditions
{
    public const string PostgresVariable = "AERO_TEST_POSTGRES";

    /// <summary>The test PostgreSQL's connection string: <c>AERO_TEST_POSTGRES</c>, else the reference default.</summary>
    public static string PostgresConnection => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } configured
        ? configured
        : PostgresSettings.Create().ConnectionString;

    /// <summary>Returns <see cref="PostgresConnection"/> once a connection to it opened.</summary>
    public static async Task<string> PostgresAsync()
    {
        var connection = PostgresConnection;
        try
        {
            await using var opened = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connection) { Timeout = 5 }.ConnectionString);
            await opened.OpenAsync();
            return connection;
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException or ArgumentException or SocketException)
        {
            throw new InvalidOperationException(
                $"This spec needs PostgreSQL: {PostgresSettings.Create().WithConnectionString(connection).RedactedConnectionString} is unreachable ({error.Message}). " +
                $"Run scripts/start-postgres, or point {PostgresVariable} at a server.",
                error);
        }
    }

    /// <summary>Fails unless <paramref name="program"/> is on PATH.</summary>
    public static void Program(string program, string howToGet)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, program)));
        if (!found)
        {
            throw new InvalidOperationException($"This spec needs {program} on PATH, which has none: {howToGet}.");
        }
    }

    /// <summary>Fails unless kcat, the outside Kafka client, is installed.</summary>
    public static void Kcat() => Program("kcat", "scripts/install-deps installs it (Debian package kcat)");

    /// <summary>Fails unless every one of <paramref name="addresses"/> can be bound on this machine (Linux routes all of 127.0.0.0/8 to loopback; macOS needs aliases).</summary>
    public static void LoopbackAddresses(params string[] addresses)
    {
        foreach (var address in addresses)
        {
            try
            {
                using var listener = new TcpListener(IPAddress.Parse(address), 0);
                listener.Start();
            }
            catch (SocketException error)
            {
                throw new InvalidOperationException(
                    $"This spec needs the loopback address {address}, which cannot be bound here ({error.Message}). " +
                    $"Linux has all of 127.0.0.0/8; elsewhere add aliases, e.g. `sudo ifconfig lo0 alias {address}` on macOS.",
                    error);
            }
        }
    }
}
