using System.CommandLine;

namespace Aero.Node.Commands;

/// <summary><c>aero serve</c>: the long-running node (what k8s/ runs).</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var bootstrap = new Option<string?>("--bootstrap") { Description = "Kafka bootstrap servers (default: KAFKA_BOOTSTRAP_SERVERS, else the embedded Kafka)" };
        var config = new Option<string?>("--config") { Description = "Configuration overlay over hocon/aero.conf: dev, test, gke (hocon/NAME.conf) or a file (default: AERO_ENV)" };
        var logFormat = LogFormatOption.Create();

        var command = new Command("serve", "Run a cluster node that loads Kafka into the warehouse until SIGTERM, then drains and leaves; it logs to standard output");
        foreach (var option in new Option[] { bootstrap, config, logFormat })
        {
            command.Options.Add(option);
        }

        command.SetAction((result, cancellation) => ServeJob.ExecuteAsync(
            new ServeOptions(result.GetValue(bootstrap), result.GetValue(config), result.GetValue(logFormat)),
            cancellation));
        return command;
    }
}
