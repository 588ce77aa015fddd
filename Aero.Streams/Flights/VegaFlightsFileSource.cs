using System.Text.Json;
using Akka;
using Akka.Streams.Dsl;

namespace Aero.Streams.Flights;

/// <summary>Streams a vega-datasets flights JSON array file as records, one element at a time, never the whole file.</summary>
public static class VegaFlightsFileSource
{
    public static Source<FlightRecord, NotUsed> Create(string path)
    {
        var source = Path.GetFileName(path);
        return Source.From(() => Read(path))
            .ZipWithIndex()
            .Select(pair => VegaFlightMapping.ToRecord(pair.Item1, source, pair.Item2));
    }

    private static async IAsyncEnumerable<VegaFlight> Read(string path)
    {
        await using var file = File.OpenRead(path);
        await foreach (var flight in JsonSerializer.DeserializeAsyncEnumerable(file, FlightJsonContext.Default.VegaFlight))
        {
            if (flight is not null)
            {
                yield return flight;
            }
        }
    }
}
