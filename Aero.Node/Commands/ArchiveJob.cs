using Aero.Kafka.Settings;
using Aero.Node.Configuration;
using Aero.Streams.Archive;
using Aero.Streams.Extract;
using Aero.Warehouse;
using Akka.Actor;
using Akka.Configuration;
using Akka.Streams;
using Spectre.Console;

namespace Aero.Node.Commands;

/// <summary>What <c>aero archive list</c> and <c>aero archive replay</c> do, on the archive <c>aero.archive.directory</c> names.</summary>
public static class ArchiveJob
{
    public static async Task<int> ListAsync(string? configPath, bool json, CancellationToken cancellation)
    {
        var config = AeroConfiguration.Load(configPath);
        var target = await ArchiveTargets.OpenAsync(ArchiveSettings.Create(config), GcsArchiveSettings.Create(config), cancellation);
        var files = (await target.ListAsync(cancellation)).OrderBy(f => f.Topic, StringComparer.Ordinal).ThenBy(f => f.Partition).ThenBy(f => f.FirstOffset).ToList();
        var rows = new List<object?[]>(files.Count);
        foreach (var file in files)
        {
            rows.Add([file.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), file.Topic, file.Partition, file.FirstOffset, file.LastOffset,
                await ArchiveReader.CountAsync(target, file, cancellation), file.RelativePath]);
        }

        var result = new QueryResult(
            [new("date", "DATE"), new("topic", "VARCHAR"), new("partition", "INTEGER"), new("first_offset", "BIGINT"), new("last_offset", "BIGINT"), new("records", "BIGINT"), new("path", "VARCHAR")],
            rows);
        if (json)
        {
            await using var stdout = Console.OpenStandardOutput();
            QueryOutput.WriteJson(result, stdout);
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated($"Archive [bold]{target.Description}[/]");
            QueryOutput.WriteTable(result);
        }

        // A gap or overlap is said on standard error, so --json output stays parseable.
        var problems = files.GroupBy(f => (f.Topic, f.Partition)).SelectMany(ArchiveProgress.Problems).ToList();
        foreach (var problem in problems)
        {
            await Console.Error.WriteLineAsync($"aero archive list: ALARM: {problem}");
        }

        return problems.Count == 0 ? 0 : 1;
    }

    public static async Task<int> ReplayAsync(string? configPath, string? bootstrap, DateOnly? from, DateOnly? to, CancellationToken cancellation)
    {
        var config = AeroConfiguration.Load(configPath);
        bootstrap ??= config.GetString("aero.kafka.bootstrap-servers", "");
        if (string.IsNullOrWhiteSpace(bootstrap))
        {
            AnsiConsole.MarkupLine("[red]aero archive replay needs a Kafka: pass --bootstrap HOST:PORT or set KAFKA_BOOTSTRAP_SERVERS.[/]");
            return 2;
        }

        var topic = ExtractSettings.Create(config).RawTopic;
        var target = await ArchiveTargets.OpenAsync(ArchiveSettings.Create(config), GcsArchiveSettings.Create(config), cancellation);
        var files = await ArchiveReplay.FilesAsync(target, topic, from, to, cancellation);
        var producerSettings = ProducerSettings.Create(config).WithBootstrapServers(bootstrap);
        using var system = ActorSystem.Create("aero-replay", ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING").WithFallback(config));
        var produced = await ArchiveReplay.RunAsync(target, files, topic, producerSettings, system.Materializer(), cancellation);
        await system.Terminate();
        Console.WriteLine($"summary: replayed={produced} files={files.Count} topic={topic} archive={target.Description}");
        return 0;
    }
}
