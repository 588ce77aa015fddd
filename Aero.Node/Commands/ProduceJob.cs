using Aero.Kafka.Settings;
using Aero.Node.Configuration;
using Aero.Streams.Extract;
using Aero.Streams.Schema;
using Aero.Warehouse.BigQuery;
using Akka.Actor;
using Akka.Configuration;
using Akka.Streams;
using Spectre.Console;

namespace Aero.Node.Commands;

/// <summary>
/// Extracts an input into Kafka through the same path as <c>aero run</c> (<see cref="FlightExtract"/>): valid records
/// to the raw topic, rejected ones to the dead-letter topic, and a final check that every record read was one or
/// the other. Exit code 0 only when it balances, Kafka acknowledged everything, and no more than
/// <c>aero.extract.max-rejected-share</c> of the records were rejected.
/// </summary>
public static class ProduceJob
{
    public static async Task<int> ExecuteAsync(ProduceOptions options, CancellationToken cancellation)
    {
        var config = AeroConfiguration.Load(options.Config);
        var bootstrap = options.Bootstrap ?? config.GetString("aero.kafka.bootstrap-servers", "");
        if (string.IsNullOrWhiteSpace(bootstrap))
        {
            AnsiConsole.MarkupLine("[red]aero produce needs a Kafka: pass --bootstrap HOST:PORT or set KAFKA_BOOTSTRAP_SERVERS (aero kafka serve runs one).[/]");
            return 2;
        }

        if (options.Format is { } format)
        {
            config = AeroConfiguration.With(config, "aero.extract.files.format", format);
        }

        var settings = ExtractSettings.Create(config);
        var files = FileSourceSettings.Create(config);
        settings = options.Topic is { } topic ? settings.WithRawTopic(topic) : settings;
        var producerSettings = ProducerSettings.Create(config).WithBootstrapServers(bootstrap);
        producerSettings = options.Compression is { } compression ? producerSettings.WithProperty("compression.type", compression) : producerSettings;
        var input = await ExtractInput.OpenAsync(AeroConfiguration.ResolveInput(options.Input), config, files, cancellation);

        using var system = ActorSystem.Create("aero-produce", ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING").WithFallback(config));
        var framed = await FramedValueWriter.ForTopicAsync(SchemaRegistrySettings.Create(config), settings.RawTopic, RecordSchemas.FlightRecord, cancellation);
        var outcome = await ExtractRun.RunAsync(input, settings, producerSettings, options.Rate, system.Materializer(), cancellation, framed);
        PrintSummary(input, settings, outcome);
        await system.Terminate();
        return outcome.Succeeded ? 0 : 1;
    }

    private static void PrintSummary(ExtractInput input, ExtractSettings settings, ExtractOutcome outcome)
    {
        var (tally, elapsed, failure) = (outcome.Tally, outcome.Elapsed, outcome.Failure);
        var table = new Table().AddColumns("", "Records").HideHeaders();
        table.AddRow("Read", $"{tally.Read:N0}");
        table.AddRow($"Produced to {Markup.Escape(settings.RawTopic)}", $"{tally.Produced:N0}");
        table.AddRow($"Dead-lettered to {Markup.Escape(settings.DeadLetterTopic)}", $"{tally.DeadLettered:N0}");
        foreach (var (reason, count) in tally.DeadLettersByReason.OrderByDescending(r => r.Value))
        {
            table.AddRow($"  {Markup.Escape(reason)}", $"{count:N0}");
        }

        table.AddRow(tally.Skipped == 0 ? "Skipped inputs" : "[yellow]Skipped inputs[/]", $"{tally.Skipped:N0}");
        var undelivered = tally.Read - tally.Produced - tally.DeadLettered;
        table.AddRow(undelivered == 0 ? "Not delivered" : "[red]Not delivered[/]", $"{undelivered:N0}");
        table.AddRow("Seconds", $"{elapsed.TotalSeconds:F1} ({tally.Read / Math.Max(elapsed.TotalSeconds, 0.001):N0} records/s)");
        AnsiConsole.Write(table);

        if (failure is not null)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{outcome.FailureHeading}: {failure.Message}[/]");
        }

        if (tally.Balances)
        {
            AnsiConsole.MarkupLineInterpolated($"[green]read = produced + dead-lettered: {tally.Read} = {tally.Produced} + {tally.DeadLettered}[/]");
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated($"[red]read ≠ produced + dead-lettered: {tally.Read} ≠ {tally.Produced} + {tally.DeadLettered}[/]");
        }
        ExtractRun.ReportTooManyRejected(outcome);
        Console.WriteLine($"summary: input={input.Description} {tally}");
    }
}
