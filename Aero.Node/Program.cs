using System.CommandLine;
using Aero.Node.Admin;
using Aero.Node.Commands;
using Spectre.Console;

var kafka = new Command("kafka", "Kafka tools");
kafka.Subcommands.Add(KafkaServeCommand.Create());

var root = new RootCommand("Aero: a flight-data pipeline from files and APIs through Kafka into the warehouse, on Akka.NET");
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(ProduceCommand.Create());
root.Subcommands.Add(QueryCommand.Create());
root.Subcommands.Add(ArchiveCommand.Create());
root.Subcommands.Add(LookerCommand.Create());
root.Subcommands.Add(Aero.Node.Report.ReportCommand.Create());
root.Subcommands.Add(kafka);
root.Subcommands.Add(ConfigCommand.Create());
AdminCommands.AddTo(root);

try
{
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration
    {
        EnableDefaultExceptionHandler = false,
        // SIGTERM cancels the command, which then drains, commits and leaves the cluster: that takes longer than
        // System.CommandLine's default two seconds. The node bounds its own stop (aero.drain-timeout + 30 s).
        ProcessTerminationTimeout = TimeSpan.FromMinutes(2),
    });
}
catch (Exception error) when (error is not OutOfMemoryException)
{
    // One clear line for the operator; the stack trace only helps us.
    AnsiConsole.MarkupLineInterpolated($"[red]aero: {error.Message}[/]");
    return 1;
}
