using System.CommandLine;

namespace Aero.Node.Commands;

/// <summary><c>aero run</c>: the laptop job, with its progress and summary.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var once = new Option<bool>("--once") { Description = "Exit once the input is extracted and the warehouse holds every record in Kafka" };
        var bootstrap = new Option<string?>("--bootstrap") { Description = "Kafka bootstrap servers (default: KAFKA_BOOTSTRAP_SERVERS, else the embedded Kafka)" };
        var noExtract = new Option<bool>("--no-extract") { Description = "Only load: consume the topic into the warehouse" };
        var input = new Option<string?>("--input") { Description = "The flights file to extract (default: aero.extract.input, the bundled sample)" };
        var config = new Option<string?>("--config") { Description = "Configuration overlay over hocon/aero.conf: dev, test, gke (hocon/NAME.conf) or a file (default: AERO_ENV)" };
        var warehouse = new Option<string?>("--warehouse") { Description = "DuckDB file (default: aero.warehouse.duckdb.path)" };
        var verbose = new Option<bool>("--verbose") { Description = "Log to standard error instead of the file aero.logging.file" };
        var logFormat = LogFormatOption.Create();
        var format = FileFormatOption.Create();
        var archive = new Option<bool>("--archive") { Description = "Also keep the raw archive of the topic (aero.archive.directory)" };

        var command = new Command("run", "Extract flights into Kafka and load them into the warehouse, exactly once, showing progress and a summary");
        foreach (var option in new Option[] { once, bootstrap, noExtract, input, config, warehouse, verbose, logFormat, format, archive })
        {
            command.Options.Add(option);
        }

        command.SetAction((result, cancellation) => RunJob.ExecuteAsync(
            new RunOptions(
                result.GetValue(once),
                result.GetValue(bootstrap),
                result.GetValue(noExtract),
                result.GetValue(input),
                result.GetValue(config),
                result.GetValue(warehouse),
                result.GetValue(verbose),
                result.GetValue(logFormat),
                result.GetValue(format),
                result.GetValue(archive)),
            cancellation));
        return command;
    }
}
