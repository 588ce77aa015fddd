using System.Globalization;
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

    public static string Usage =>
        """
        Usage: Aero.Bench [--records N] [--partitions N] [--rounds N] [--warmup N] [--kafka key=value]... [--config "hocon"]
          --records     records to produce and consume per run (default 1000000)
          --partitions  topic partitions (default: enough that the mock cluster trims nothing)
          --rounds      rounds of (a) plain Confluent consumer and (b) Aero source + committer (default 3)
          --warmup      records read by one warm-up run of each before the rounds (default 100000, 0 = none)
          --kafka       a librdkafka property for both consumers (repeatable); default fetch.queue.backoff.ms=10,
                        --kafka fetch.queue.backoff.ms=1000 restores librdkafka's default
          --config      HOCON over Aero's reference.conf for (b), e.g. "aero.kafka.committer.max-batch = 20000";
                        its akka.* keys configure the actor system (b) runs on
        """;

    /// <summary>Parses <paramref name="args"/>; null (with <paramref name="error"/>) when they make no sense.</summary>
    public static BenchOptions? Parse(string[] args, out string? error)
    {
        var options = new BenchOptions();
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Length)
            {
                error = $"{name} needs a value.";
                return null;
            }

            var value = args[++i];
            switch (name)
            {
                case "--records":
                    options = options with { Records = PositiveInt(name, value, ref error) };
                    break;
                case "--partitions":
                    options = options with { Partitions = PositiveInt(name, value, ref error) };
                    break;
                case "--rounds":
                    options = options with { Rounds = PositiveInt(name, value, ref error) };
                    break;
                case "--warmup":
                    options = options with { WarmupRecords = int.TryParse(value, CultureInfo.InvariantCulture, out var w) && w >= 0 ? w : Invalid(name, value, ref error) };
                    break;
                case "--kafka":
                    var eq = value.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0)
                    {
                        error = $"--kafka {value}: expected key=value.";
                        return null;
                    }

                    options = options with { KafkaProperties = new Dictionary<string, string>(options.KafkaProperties) { [value[..eq].Trim()] = value[(eq + 1)..].Trim() } };
                    break;
                case "--config":
                    options = options with { AeroConfig = ConfigurationFactory.ParseString(value), AeroConfigText = value };
                    break;
                default:
                    error = $"Unknown option {name}.";
                    return null;
            }

            if (error is not null)
            {
                return null;
            }
        }

        if (options.Partitions == 0)
        {
            options = options with { Partitions = DefaultPartitions(options.Records) };
        }

        return options with { WarmupRecords = Math.Min(options.WarmupRecords, options.Records) };
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

    private static int PositiveInt(string name, string value, ref string? error) =>
        int.TryParse(value, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : Invalid(name, value, ref error);

    private static int Invalid(string name, string value, ref string? error)
    {
        error = $"{name} {value}: expected a number above zero.";
        return 0;
    }
}
