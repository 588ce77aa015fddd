using System.CommandLine;
using Aero.Kafka.Embedded;
using Spectre.Console;

namespace Aero.Node.Commands;

/// <summary><c>aero kafka serve</c>: the embedded Kafka as a process of its own, for development.</summary>
public static class KafkaServeCommand
{
    public static Command Create()
    {
        var brokers = new Option<int>("--brokers") { Description = "Number of brokers", DefaultValueFactory = _ => 1 };
        var partitions = new Option<int>("--partitions") { Description = "Partitions per topic", DefaultValueFactory = _ => 6 };
        var topics = new Option<string[]>("--topic")
        {
            Description = "A topic to create (repeat for more)",
            DefaultValueFactory = _ => ["flights-raw", "flights-processed", "flights-dlq"],
        };
        var bootstrapFile = new Option<string?>("--bootstrap-file") { Description = "Write the bootstrap servers to this file once listening" };

        var command = new Command("serve", "Run an embedded Kafka broker (librdkafka's mock cluster) until stopped");
        command.Options.Add(brokers);
        command.Options.Add(partitions);
        command.Options.Add(topics);
        command.Options.Add(bootstrapFile);
        command.SetAction(async (result, cancellation) =>
        {
            using var kafka = EmbeddedKafka.Start(result.GetValue(brokers));
            foreach (var topic in result.GetValue(topics) ?? [])
            {
                kafka.CreateTopic(topic, result.GetValue(partitions));
            }

            WarnInMemory(result.GetValue(partitions), JobOutput.Terminal);
            AnsiConsole.MarkupLineInterpolated($"Topics: [bold]{string.Join(", ", result.GetValue(topics) ?? [])}[/] ({result.GetValue(partitions)} partitions each)");
            if (result.GetValue(bootstrapFile) is { } file)
            {
                // Written whole and then renamed, so a watcher never reads half a line; before the line below,
                // so whoever waits for that line finds the file.
                var temporary = file + ".tmp";
                await File.WriteAllTextAsync(temporary, kafka.BootstrapServers + Environment.NewLine, cancellation);
                File.Move(temporary, file, overwrite: true);
            }

            Console.WriteLine($"bootstrap.servers={kafka.BootstrapServers}");

            AnsiConsole.MarkupLine("[grey]Running until stopped (Ctrl+C or SIGTERM).[/]");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellation);
            }
            catch (OperationCanceledException)
            {
            }

            AnsiConsole.MarkupLine("Embedded Kafka stopped; its data is gone.");
            return 0;
        });
        return command;
    }

    public static void WarnInMemory(int partitions, JobOutput output)
    {
        const long mebibyte = 1024 * 1024;
        output.Warn($"Embedded Kafka (librdkafka mock cluster): in memory only, about {EmbeddedKafka.RetainedBytesPerPartition / mebibyte} MiB kept per partition ({partitions * EmbeddedKafka.RetainedBytesPerPartition / mebibyte} MiB for {partitions}), oldest records dropped beyond; for development and tests only.");
    }
}
