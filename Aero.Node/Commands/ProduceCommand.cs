using System.CommandLine;

namespace Aero.Node.Commands;

/// <summary><c>aero produce</c>: extract files or an API feed into Kafka.</summary>
public static class ProduceCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input") { Description = "A file, a directory, a glob (data/**/*.csv) or an OpenSky URL (https://opensky-network.org)", Required = true };
        var topic = new Option<string?>("--topic") { Description = "Topic for valid records (default: aero.extract.topics.raw, flights-raw)" };
        var rate = new Option<int>("--rate") { Description = "At most this many records per second (0: as fast as Kafka takes them)" };
        var bootstrap = new Option<string?>("--bootstrap") { Description = "Kafka bootstrap servers (default: KAFKA_BOOTSTRAP_SERVERS, aero.kafka.bootstrap-servers)" };
        var compression = new Option<string?>("--compression") { Description = "none, gzip, snappy, lz4 or zstd (default: aero.kafka.producer.kafka-clients.compression.type)" };
        var config = new Option<string?>("--config") { Description = "HOCON configuration file (default: hocon/aero.conf beside aero)" };
        var format = FileFormatOption.Create();
        rate.Validators.Add(result =>
        {
            if (result.GetValue(rate) < 0)
            {
                result.AddError("--rate must be 0 or more records per second.");
            }
        });
        compression.AcceptOnlyFromAmong("none", "gzip", "snappy", "lz4", "zstd");

        var command = new Command("produce", "Extract flight records from files or an API into Kafka; rejected records go to the dead-letter topic with their reason");
        foreach (var option in new Option[] { input, topic, rate, bootstrap, compression, config, format })
        {
            command.Options.Add(option);
        }

        command.SetAction((result, cancellation) => ProduceJob.ExecuteAsync(
            new ProduceOptions(result.GetValue(input)!, result.GetValue(topic), result.GetValue(rate), result.GetValue(bootstrap), result.GetValue(compression), result.GetValue(config), result.GetValue(format)),
            cancellation));
        return command;
    }
}
