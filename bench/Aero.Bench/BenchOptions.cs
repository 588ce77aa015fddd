using System.CommandLine;
using Akka.Configuration;

namespace Aero.Bench;

/// <summary>Command line options; every one has a default so a bare run is the documented benchmark.</summary>
internal sealed record BenchOptions
{
    /// <summary>Bytes of compressed log we allow per partition, well under the mock cluster's 5 MiB trim.</summary>
    private const long BudgetPerPartition = 4L * 1024 * 1024;

    /// <summary>A generous upper bound of one record in the log (before LZ4, batch overhead included), to size partitions.</summary>
    private const long BytesPerRecordEstimate = 200;

    public int Records { get; init; } = 1_000_000;

    public int Partitions { get; init; }

    public int Rounds { get; init; } = 3;

    public int WarmupRecords { get; init; } = 100_000;

    /// <summary>HOCON over Aero's reference.conf, to try e.g. <c>aero.kafka.consumer.max-poll-records = 5000</c>.</summary>
    public Config? AeroConfig { get; init; }

    public string? AeroConfigText { get; init; }

    /// <summary>
    /// librdkafka properties set on both consumers, (a) and (b), so a client setting never favours one of them.
    /// fetch.queue.backoff.ms: once 100,000 records (queued.min.messages) wait in librdkafka's prefetch queue, it
    /// stops fetching for this long, 1 s by default; both consumers drain that queue in well under a second and
    /// would then sit idle, so the benchmark would time librdkafka's back-off instead of the consumers.
    /// </summary>
    public IReadOnlyDictionary<string, string> KafkaProperties { get; init; } = new Dictionary<string, string>
    {
        ["fetch.queue.backoff.ms"] = "10",
    };

    /// <summary>The command line: every option has a default, so a bare run is the documented benchmark.</summary>
    public static RootCommand CreateCommand(Func<BenchOptions, Task<int>> run)
    {
        var records = PositiveOption("--records", "Records to produce and consume per run", 1_000_000);
        var partitions = new Option<int>("--partitions") { Description = "Topic partitions (default: enough that the mock cluster trims nothing)" };
        var rounds = PositiveOption("--rounds", "Rounds of (a) plain Confluent consumer and (b) Aero source + committer", 3);
        var warmup = new Option<int>("--warmup") { Description = "Records read by one warm-up run of each before the rounds (0: none)", DefaultValueFactory = _ => 100_000 };
        var kafka = new Option<string[]>("--kafka")
        {
            Description = "A librdkafka property key=value for both consumers (repeatable); default fetch.queue.backoff.ms=10, --kafka fetch.queue.backoff.ms=1000 restores librdkafka's",
        };
        var config = new Option<string?>("--config") { Description = "HOCON over Aero's reference.conf for (b), e.g. \"aero.kafka.committer.max-batch = 50000\"; its akka.* keys configure (b)'s actor system" };
        kafka.Validators.Add(result =>
        {
            foreach (var property in result.GetValue(kafka) ?? [])
            {
                if (property.IndexOf('=', StringComparison.Ordinal) <= 0)
                {
                    result.AddError($"--kafka {property}: expected key=value.");
                }
            }
        });

        var command = new RootCommand("Consumer throughput of Aero's Kafka stages against a plain Confluent.Kafka loop, on the embedded Kafka");
        foreach (var option in new Option[] { records, partitions, rounds, warmup, kafka, config })
        {
            command.Options.Add(option);
        }

        command.SetAction(result =>
        {
            var options = new BenchOptions
            {
                Records = result.GetValue(records),
                Partitions = result.GetValue(partitions) is > 0 and var p ? p : DefaultPartitions(result.GetValue(records)),
                Rounds = result.GetValue(rounds),
                WarmupRecords = Math.Clamp(result.GetValue(warmup), 0, result.GetValue(records)),
            };
            foreach (var property in result.GetValue(kafka) ?? [])
            {
                var eq = property.IndexOf('=', StringComparison.Ordinal);
                options = options with { KafkaProperties = new Dictionary<string, string>(options.KafkaProperties) { [property[..eq].Trim()] = property[(eq + 1)..].Trim() } };
            }

            if (result.GetValue(config) is { } hocon)
            {
                options = options with { AeroConfig = ConfigurationFactory.ParseString(hocon), AeroConfigText = hocon };
            }

            return run(options);
        });
        return command;
    }

    /// <summary>A power of two of partitions that keeps each under the trim budget: 64 for a million records.</summary>
    private static int DefaultPartitions(int records)
    {
        var needed = (int)Math.Ceiling(records * (double)BytesPerRecordEstimate / BudgetPerPartition);
        var partitions = 1;
        while (partitions < needed)
        {
            partitions *= 2;
        }

        return partitions;
    }

    private static Option<int> PositiveOption(string name, string description, int defaultValue)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            if (result.GetValue(option) <= 0)
            {
                result.AddError($"{name} must be a number above zero.");
            }
        });
        return option;
    }
}
