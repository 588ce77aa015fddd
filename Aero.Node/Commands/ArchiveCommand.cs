using System.CommandLine;

namespace Aero.Node.Commands;

/// <summary><c>aero archive list</c> and <c>aero archive replay</c>: the raw archive's files, and feeding them back into Kafka.</summary>
public static class ArchiveCommand
{
    public static Command Create()
    {
        var archive = new Command("archive", "The raw archive of flights-raw (Parquet files under aero.archive.directory)");
        archive.Subcommands.Add(List());
        archive.Subcommands.Add(Replay());
        return archive;
    }

    private static Command List()
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array of objects instead of a table" };
        var config = ConfigOption();
        var command = new Command("list", "List the archive's files with their partitions and offset ranges; exit 1 when a partition's files leave a gap or overlap");
        command.Options.Add(json);
        command.Options.Add(config);
        command.SetAction((result, cancellation) => ArchiveJob.ListAsync(result.GetValue(config), result.GetValue(json), cancellation));
        return command;
    }

    private static Command Replay()
    {
        var from = new Option<DateOnly?>("--from") { Description = "First event date to replay (YYYY-MM-DD; default: the oldest)" };
        var to = new Option<DateOnly?>("--to") { Description = "Last event date to replay (YYYY-MM-DD; default: the newest)" };
        var bootstrap = new Option<string?>("--bootstrap") { Description = "Kafka bootstrap servers (default: KAFKA_BOOTSTRAP_SERVERS)" };
        var config = ConfigOption();
        var command = new Command("replay", "Produce the archived records of the chosen dates to flights-raw again, byte for byte (same event ids), so the load rebuilds a warehouse from them");
        foreach (var option in new Option[] { from, to, bootstrap, config })
        {
            command.Options.Add(option);
        }

        command.SetAction((result, cancellation) => ArchiveJob.ReplayAsync(
            result.GetValue(config), result.GetValue(bootstrap), result.GetValue(from), result.GetValue(to), cancellation));
        return command;
    }

    private static Option<string?> ConfigOption() =>
        new("--config") { Description = "Configuration overlay over hocon/aero.conf: dev, test, gke (hocon/NAME.conf) or a file (default: AERO_ENV)" };
}
