using System.Text.Json;
using Aero.Flights;
using Aero.Kafka.Messages;
using Aero.Streams.Extract;
using Aero.Streams.Tests.Extract.Bts;
using Aero.Streams.Transform;
using Aero.Warehouse;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Xunit;

namespace Aero.Actors.Tests.Jobs;

/// <summary>
/// The flights the job specs load: the first 200,000 real flights of vega's flights-3m.parquet (scripts/fetch-data),
/// which carry no airline and no arrival, and 20,000 flights generated in BTS's layout, which do; transformed as the
/// load transforms them. Read once per test run.
/// </summary>
internal static class JobSpecFlights
{
    public const int RealFlights = 200_000;
    public const int BtsFlights = 20_000;
    private const string Topic = "flights-raw";
    private static readonly Lazy<Task<IReadOnlyList<LoadRow>>> Rows = new(ReadAsync);

    public static Task<IReadOnlyList<LoadRow>> AllAsync() => Rows.Value;

    /// <summary>Writes the rows into <paramref name="warehouse"/> as the load would, in batches: the first <paramref name="realFlights"/> real ones and every BTS one.</summary>
    public static async Task LoadAsync(IWarehouse warehouse, int realFlights = RealFlights)
    {
        var all = await AllAsync();
        var rows = all.Take(Math.Min(realFlights, RealFlights)).Concat(all.Skip(RealFlights)).ToList();
        foreach (var batch in rows.Chunk(20_000))
        {
            var next = new Dictionary<(string, int), long> { [(Topic, 0)] = batch[^1].Position.Offset + 1 };
            var result = await warehouse.WriteAsync(new LoadBatch("jobs-spec", batch, [], next));
            Assert.Equal(batch.Length, result.Inserted);
        }
    }

    private static async Task<IReadOnlyList<LoadRow>> ReadAsync()
    {
        var path = RepositoryFile("data/full/flights-3m.parquet");
        var transform = FlightTransform.Create(TransformSettings.Create());
        using var system = ActorSystem.Create("job-spec-flights");
        var records = await FlightFileSource.Create(path).Take(RealFlights).RunWith(Sink.Seq<ExtractedRecord>(), system.Materializer());
        var flights = records.Select(r => r.Flight ?? throw new InvalidOperationException($"{r.Location}: {r.Rejection}"))
            .Concat(BtsSample.Flights(BtsFlights).Select((row, i) => row.Expected with { EventId = $"bts-{i}" }));
        var processedAt = DateTime.UtcNow;
        var rows = new List<LoadRow>(RealFlights + BtsFlights);
        foreach (var flight in flights)
        {
            Assert.True(transform.TryTransform(flight, processedAt, out var processed, out var reason), reason);
            rows.Add(new LoadRow(flight, JsonSerializer.Serialize(flight, FlightJsonContext.Default.FlightRecord), new KafkaPosition(Topic, 0, rows.Count, processedAt), processed));
        }

        return rows;
    }

    /// <summary>A file of the repository, found from the specs' directory upwards; missing is a failure saying what to run.</summary>
    private static string RepositoryFile(string relative)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{relative} is missing: run scripts/fetch-data in the repository first.");
    }
}
