using System.Diagnostics;

namespace Aero.FakeBigQuery.Tests;

/// <summary>
/// Google's own BigQuery client, the Cloud CLI's <c>bq</c>, pointed at the fake: any token from a file, the discovery
/// document the CLI ships, and a throwaway CLOUDSDK_CONFIG so nothing touches the user's gcloud settings.
/// </summary>
public sealed class BqCli : IDisposable
{
    public const string DiscoveryFile = "/usr/lib/google-cloud-sdk/platform/bq/discovery_next/bigquery.json";

    private readonly string _home = Directory.CreateTempSubdirectory("fakebq-cli-").FullName;
    private readonly Uri _endpoint;

    public BqCli(Uri endpoint)
    {
        // Named at once, not as a process that failed to start (issue 13 §3).
        if (!File.Exists(DiscoveryFile) || !(Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, "bq"))))
        {
            throw new InvalidOperationException(
                $"This spec needs Google's bq tool on PATH and its discovery document {DiscoveryFile}: install the Google Cloud CLI (package google-cloud-cli, see scripts/install-deps).");
        }

        _endpoint = endpoint;
        File.WriteAllText(Path.Combine(_home, "token"), "any-token");
        Directory.CreateDirectory(Path.Combine(_home, "config"));
    }

    public string WorkDirectory => _home;

    public async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bq")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _home,
        };
        start.Environment["CLOUDSDK_AUTH_ACCESS_TOKEN_FILE"] = Path.Combine(_home, "token");
        start.Environment["CLOUDSDK_CONFIG"] = Path.Combine(_home, "config");
        foreach (var argument in new[] { "--api", _endpoint.ToString().TrimEnd('/'), $"--discovery_file={DiscoveryFile}", "--project_id=demo", "--headless" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bq did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);
}
